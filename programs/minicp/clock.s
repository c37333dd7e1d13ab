* clock.s - the guest's clocks: exact signed 64-bit values over their whole range (PoO 7).
*
* The bare machine's TOD clock, CPU timer and clock comparator are signed 64-bit numbers, exact
* from X'8000000000000000' to X'7FFFFFFFFFFFFFFF' (PoO 7.5). The TOD clock counts up and stops
* at X'7FFFFFFFFFFFFFFF' (PoO 7.1); the CPU timer counts down and stops at X'8000000000000000'
* (PoO 7.2); a comparator of X'7FFFFFFFFFFFFFFF' is "never" (PoO 7.3). minicp keeps them as
*
*   TOD clock = vnow + todoff      CPU timer = tmrzero - vnow      comparator = ckc
*
* with todoff and tmrzero computed modulo 2^64 when the guest sets a clock (the value less, or
* plus, the time). Modulo 2^64 the sums are always right; the true value differs from them only
* when it has left the 64-bit range, that is, when the clock has stopped. Virtual time runs for
* less than 2^52 units, so that can happen to the TOD clock only when it was set to a value of
* 0 or more (todneg = 0) and the sum has turned negative, and to the CPU timer only when it was
* set negative (tmrneg = 1) and the difference has turned 0 or more. gtod and gtimer read them so.
*
* The real clocks are minicp's, and serve the guest too: while the guest runs, the real TOD
* clock is the guest's, because STCK is unprivileged and runs directly (run.s sets it).

* gtod: R2:R3 = the guest's TOD clock at time R8:R9 (not before its last SCK). Uses R0; link R14.
gtod:   LM    R2,R3,todoff
        ADD64 R2,R3,R8,R9
        LTR   R2,R2
        BNMR  R14                     ; 0 or more: exact
        L     R0,todneg
        LTR   R0,R0
        BNZR  R14                     ; counting up from a negative value: exact
        L     R2,=NEVER_HI            ; past the top: stopped there (PoO 7.1)
        LHI   R3,-1
        BR    R14

* gtimer: R2:R3 = the guest's CPU timer at time R8:R9 (not before its last SPT). Uses R0; link R14.
gtimer: LM    R2,R3,tmrzero
        SUB64 R2,R3,R8,R9
        LTR   R2,R2
        BMR   R14                     ; negative: exact
        L     R0,tmrneg
        LTR   R0,R0
        BZR   R14                     ; counting down from 0 or more: exact
        L     R2,=0x80000000          ; past the bottom: stopped there (PoO 7.2)
        LHI   R3,0
        BR    R14

* The clock instructions (PoO 7.1, 7.2): SCK, SPT, SCKC set, STPT, STCKC store (STCK runs
* directly); a doubleword on a word boundary, each word translated first. The instruction ran
* at vnow - 1 (vnow already counts it), which is the time the bare machine would use.
em_clock: BRAS R14,eas
        LR    R0,R7
        N     R0,=3
        JNZ   em_spec
        LR    R6,R10
        SRL   R6,24
        LHI   R11,0
        CHI   R6,0xA3                 ; STPT and STCKC store
        JE    clk_st
        CHI   R6,0xA5
        JNE   clk_tr
clk_st: LHI   R11,1
clk_tr: LR    R2,R7
        LR    R3,R11
        BRAS  R13,xop
        LR    R4,R2                   ; R4 -> high word
        LR    R2,R7
        AHI   R2,4
        LR    R3,R11
        BRAS  R13,xop
        LR    R5,R2                   ; R5 -> low word
        LM    R8,R9,vnow
        LHI   R0,0
        LHI   R1,1
        SUB64 R8,R9,R0,R1             ; R8:R9 = the instruction's time
        L     R2,0(R4)
        L     R3,0(R5)                ; R2:R3 = the operand, as it is: no rounding (PoO 7.5)
        LR    R1,R2
        SRL   R1,31                   ; R1 = 1 if it is negative
        CHI   R6,0xA1
        JE    clk_sck
        CHI   R6,0xA2
        JE    clk_spt
        CHI   R6,0xA3
        JE    clk_stpt
        CHI   R6,0xA4
        JE    clk_sckc
        LM    R2,R3,ckc               ; STCKC
        J     clk_out
clk_sck: SUB64 R2,R3,R8,R9            ; todoff = value - time
        STM   R2,R3,todoff
        ST    R1,todneg
        J     resume
clk_spt: ADD64 R2,R3,R8,R9            ; tmrzero = value + time
        STM   R2,R3,tmrzero
        ST    R1,tmrneg
        J     resume
clk_sckc: STM R2,R3,ckc               ; "never" or not: run.s compares it with the clock
        J     resume
clk_stpt: BRAS R14,gtimer             ; the timer at the instruction's time
clk_out: ST   R2,0(R4)
        ST    R3,0(R5)
        J     resume
