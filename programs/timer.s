* timer.s - the timer demo: a bare-metal "kernel" sets the CPU timer (SPT) to go off every
* INTERVAL instructions and waits in an enabled wait state; its external-interruption handler
* counts the ticks and prints "tick 1", "tick 2", ... on the console (DIAGNOSE X'10'), re-arms the
* timer and goes back to waiting. After 5 ticks it stops with EXIT (code 0). The CPU timer runs
* in virtual time, so the output and the instruction counts are the same on every run, bare or
* under CP (where each SPT, LPSW and DIAGNOSE traps to CP and each tick is a virtual interruption).
        .include "tinycp.inc"
        .org  0
        .psw  0, start
        .org  LC_EXTERNAL_NEW
        .psw  0, tick                 ; external interruptions: the handler, disabled
        .org  LC_PROGRAM_NEW
        .psw  PSW_WAIT, 0xBAD0        ; any program check: stop with code X'BAD0'
        .org  0x200
INTERVAL = 1000
TICKS = 5
start:  LHI   R5,0                    ; R5: ticks so far
        SPT   period
        LPSW  idle                    ; wait, enabled for external interruptions only

* The CPU-timer handler (PoO 5.4): check the cause, count, print, re-arm, resume the wait.
tick:   L     R1,LC_EXT_CODE
        CHI   R1,EXT_CPU_TIMER
        JNE   wrong
        AHI   R5,1
        LR    R3,R5
        BRAS  R14,itoa                ; digits of R3 -> line after "tick ", R4 = line length
        LA    R2,line
        DIAG  R2,R4,DIAG_CONSOLE_WRITE
        CHI   R5,TICKS
        JE    done
        SPT   period                  ; the timer is negative now: set it again
        LPSW  LC_EXTERNAL_OLD         ; back to the wait state
done:   EXIT
wrong:  EXIT  8

* itoa: write R3 (>= 0) in decimal at `digits`; R4 = length of "tick " + digits. Uses R6-R9.
itoa:   LA    R8,digits+10            ; build right to left
        LR    R7,R3
itoa1:  LHI   R6,0
        D     R6,ten                  ; R7 = R7 / 10, R6 = remainder
        AHI   R6,C'0'
        AHI   R8,-1
        STC   R6,0(R8)
        LTR   R7,R7
        JNZ   itoa1
        LA    R9,digits+10
        SR    R9,R8                   ; number of digits
        LA    R7,digits               ; move them to the front
itoa2:  IC    R6,0(R8)
        STC   R6,0(R7)
        AHI   R8,1
        AHI   R7,1
        BRCT  R9,itoa2
        LA    R4,line
        LR    R9,R7
        SR    R9,R4
        LR    R4,R9
        BR    R14

        .align 8
idle:   .psw  PSW_EXT|PSW_WAIT, 0
period: .word 0, INTERVAL
ten:    .word 10
line:   .ascii "tick "
digits: .space 12
