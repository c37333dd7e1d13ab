* run.s - the way back to the guest.
*
* Before the guest runs again minicp does what the bare machine does between two instructions
* (PoO 5.2): it presents one pending interruption the virtual PSW and virtual CR0 allow
* (external first, then I/O), and looks again; a virtual wait state is a real wait state, with
* a disabled wait passed down as it is (PoO 5.6). Then it sets the real clocks to the guest's
* and loads a real PSW: problem state, DAT on through minicp's tables, I/O and external
* interruptions enabled (they are minicp's to sort out), the guest's condition code, program
* mask and address.

resume: LM    R4,R5,vnow
        TM    vpsw,PSW_EXT>>24
        JZ    res_io
* External interruptions, in the priority of PoO 5.4: interrupt key, clock comparator, CPU timer.
        L     R1,vcr                  ; virtual CR0: the subclass masks
        LR    R0,R1
        N     R0,=CR0_KEY_MASK
        JZ    res_ckc
        L     R0,vkey
        LTR   R0,R0
        JZ    res_ckc
        LHI   R0,0
        ST    R0,vkey
        LHI   R3,EXT_INTERRUPT_KEY
        J     res_ext
res_ckc: LR   R0,R1
        N     R0,=CR0_CKC_MASK
        JZ    res_cpt
        LR    R8,R4
        LR    R9,R5
        BRAS  R14,gtod                ; pending while the TOD clock > comparator (PoO 7.3):
        LM    R8,R9,ckc               ; never for X'7FFFFFFFFFFFFFFF', where the clock stops
        CMP64 R2,R3,R8,R9
        JNH   res_cpt
        LI    R3,EXT_CLOCK_COMPARATOR
        J     res_ext
res_cpt: LR   R0,R1
        N     R0,=CR0_CPT_MASK
        JZ    res_io
        LR    R8,R4
        LR    R9,R5
        BRAS  R14,gtimer              ; pending while the CPU timer is negative (PoO 7.3)
        LTR   R2,R2
        JNM   res_io
        LI    R3,EXT_CPU_TIMER
res_ext: LHI  R2,INT_EXTERNAL
        J     reflect_go              ; reflect.s; it comes back to resume
* I/O interruptions: the held one that fell due first (io.s).
res_io: TM    vpsw,PSW_IO>>24
        JZ    res_wait
        BRAS  R14,io_due              ; R1 = the slot of a due interruption, or 0
        LTR   R1,R1
        JZ    res_wait
        J     io_present              ; io.s: CSW to the guest, then reflect
* Nothing to present. A disabled wait ends the guest: pass it down unchanged (Appendix A).
res_wait: TM  vpsw+1,PSW_WAIT>>16
        JZ    res_run
        TM    vpsw,(PSW_IO|PSW_EXT)>>24
        JNZ   res_run
        L     R1,vpsw+4
        ST    R1,respsw+4
        LI    R1,PSW_WAIT
        ST    R1,respsw
        L     R0,ev_seq               ; the last event is complete too
        AHI   R0,1
        ST    R0,ev_seq
        LPSW  respsw

* The real PSW. The guest's DAT bit chooses the real tables: guest-real or shadow (dat.s).
res_run: LI   R1,PSW_PROBLEM|PSW_DAT|PSW_IO|PSW_EXT
        L     R0,vpsw
        N     R0,=PSW_KEY|PSW_MCHECK|PSW_CC|PSW_PROGRAM_MASK
        OR    R1,R0
        L     R2,vpsw+4
        TM    vpsw+1,PSW_WAIT>>16
        JZ    res_psw
        LI    R1,PSW_WAIT|PSW_IO|PSW_EXT ; a virtual enabled wait is a real one: minicp
        LHI   R2,0                    ; wakes up at the guest's next event, or real I/O
res_psw: STM  R1,R2,respsw
        L     R0,ev_seq               ; the event is complete (minicp.s)
        AHI   R0,1
        ST    R0,ev_seq
        L     R1,grcr1
        TM    vpsw,PSW_DAT>>24
        JZ    res_cr1
        L     R1,shcr1
res_cr1: C    R1,curcr1               ; LCTL only on a change (each one may trap, if nested)
        JE    res_alarm
        ST    R1,curcr1
        LCTL  R1,R1,curcr1            ; a new CR1 purges the real TLB (PoO 6.3)
* The alarm clock: the real CPU timer goes off when the guest reaches its next event, the
* earliest of those its masks allow: CPU timer (the timer, not negative here, + 1 units from
* now), clock comparator (comparator - TOD clock + 1 units from now), a held I/O interruption
* (its due time). None, or none before virtual time ends at 2^52: "never" (PoO 7.5).
res_alarm: LI R6,FAR_HI
        LHI   R7,0                    ; R6:R7 = the earliest due time so far
        TM    vpsw,PSW_EXT>>24
        JZ    al_io
        L     R1,vcr
        LR    R0,R1
        N     R0,=CR0_CPT_MASK
        JZ    al_ckc
        LR    R8,R4
        LR    R9,R5
        BRAS  R14,gtimer              ; R2:R3 = the CPU timer: 0 or more
        BRAS  R14,al_after
al_ckc: LR    R0,R1
        N     R0,=CR0_CKC_MASK
        JZ    al_io
        LR    R8,R4
        LR    R9,R5
        BRAS  R14,gtod                ; R2:R3 = the TOD clock: not above the comparator
        LM    R8,R9,ckc
        C     R8,=NEVER_HI            ; "never": the clock stops there, it is never passed
        JNE   al_ck1
        C     R9,=NEVER_LO
        JE    al_io
al_ck1: SUB64 R8,R9,R2,R3             ; comparator - TOD: exact as an unsigned number
        LR    R2,R8
        LR    R3,R9
        BRAS  R14,al_after
al_io:  TM    vpsw,PSW_IO>>24
        JZ    al_set
        LA    R10,slots
        LHI   R11,NSLOTS
al_io1: L     R0,SL_STATE(R10)
        CHI   R0,2
        JNE   al_io2
        LM    R8,R9,SL_DUE(R10)
        LHI   R2,0                ; al_min adds the 1 back: this is a due time already
        LHI   R3,1
        SUB64 R8,R9,R2,R3
        BRAS  R14,al_min
al_io2: LA    R10,SLOTLEN(R10)
        BRCT  R11,al_io1
* Timer value X such that it is pending exactly before the guest's instruction at time D:
* SPT at real time m sets zero = m + X; the guest's first instruction runs at m + 4 (SPT, LM,
* SCK, LPSW); pending from zero + 1 (PoO 7.3). So X = D - vnow + 3.
al_set: C     R6,=FAR_HI
        JNL   al_far              ; none, or too far: the real machine treats it as never (PoO 7.4)
        SUB64 R6,R7,R4,R5
        LHI   R2,0
        LHI   R3,3
        ADD64 R6,R7,R2,R3
al_far: STM   R6,R7,res_tmr
* The TOD clock: the guest's first instruction must read the guest's TOD clock; it runs 2 units
* after the SCK (SCK, LPSW). The real clock then is the guest's, and on entry tells its time
* (trap.s), unless it could stop at X'7FFFFFFFFFFFFFFF' while the guest runs (it is that close
* to the top: PoO 7.1) or would have to be set below X'8000000000000000' (the guest set its
* clock to that very value: the real clock is set to it, and the guest's STCK reads 1 more than
* its own clock until minicp next runs, the one inexactness left, docs/minicp.md). In those two
* cases minicp reads the guest's time from the real CPU timer instead (viatmr).
        LR    R8,R4
        LR    R9,R5
        BRAS  R14,gtod                ; R2:R3 = the guest's TOD clock
        LHI   R0,0
        C     R2,=TOP_HI
        JL    tod_set
        LHI   R0,1                    ; near the top
tod_set: LR   R6,R2
        LHI   R8,-1
        LHI   R9,-2
        ADD64 R2,R3,R8,R9             ; 2 less
        XR    R6,R2                   ; (XR sets CC 0 or 1: zero or not, PoO 3.4)
        LTR   R6,R6
        JNM   tod_ok                  ; the sign did not change
        LTR   R2,R2
        JM    tod_ok                  ; from 0 or 1 down across zero; else below X'8000...'
        L     R2,=0x80000000
        LHI   R3,0
        LHI   R0,1
tod_ok: ST    R0,viatmr
        STM   R2,R3,res_tod
* minicp's own instructions this time, for the statistics: from the entry's STCK to here, plus
* the 18 from this STCK to the LPSW (straight-line code, so the count is exact). And the real
* clock (io.s), which SCK is about to move: real clock = TOD + radj, so radj grows by what the
* TOD would have read at the SCK (this STCK + 16) minus what the SCK sets.
        STCK  exit_tod
        L     R4,exit_tod+4
        S     R4,ent_tod+4
        A     R4,stat_instr
        AHI   R4,18
        ST    R4,stat_instr
        L     R4,exit_tod+4
        A     R4,radj                 ; the real clock now
        LR    R5,R4
        AHI   R5,18
        ST    R5,resreal              ; the real clock at the guest's first instruction
        AHI   R4,16
        S     R4,res_tod+4
        ST    R4,radj
        SPT   res_tmr                 ; the guest's first instruction runs 4 units later
        LM    R0,R15,gregs
        SCK   res_tod                 ; ... and 2 units after this
        LPSW  respsw

* al_after: a condition becomes pending R2:R3 + 1 units from now (R4:R5): R6:R7 = that time, if
* earlier; unless it is 2^52 units or more away, beyond the end of virtual time (PoO 7.5).
al_after: CL  R2,=FAR_HI
        BNLR  R14
        LR    R8,R4
        LR    R9,R5
        ADD64 R8,R9,R2,R3             ; and on to al_min
* al_min: R6:R7 = min(R6:R7, R8:R9 + 1) - the due time of a condition "pending after" R8:R9.
al_min: AHI   R9,1
        JNZ   alm1
        AHI   R8,1                ; carry into the high word
alm1:   CMP64 R8,R9,R6,R7
        BNLR  R14
        LR    R6,R8
        LR    R7,R9
        BR    R14
