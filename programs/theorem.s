* theorem.s - a guest that depends on SET SYSTEM MASK doing its job. It arms the CPU timer, then
* enables external interruptions with SSM and counts while it waits for the timer. Bare and under
* CP (where SSM traps and CP emulates it on the virtual PSW) the interruption arrives and the
* program ends with code 0. On a machine where SSM were *not* privileged (`tinycp theorem`), SSM
* would run directly in real problem state and change only the real PSW, which CP does not use
* for the guest: the guest's virtual mask stays off, the timer never interrupts, and the program
* ends with code 8. Popek & Goldberg's theorem 1, shown by breaking it.
        .include "tinycp.inc"
        .org  0
        .psw  0, start
        .org  LC_EXTERNAL_NEW
        .psw  0, tick
        .org  0x200
start:  SPT   ten                     ; CPU timer: 10 instructions from now
        SSM   extmask                 ; enable external interruptions (sensitive!)
        LHI   R2,1000
wait:   BRCT  R2,wait                 ; the timer interrupts this loop ...
        EXIT  8                       ; ... or, if the mask never came on, we end up here
tick:   L     R3,LC_EXT_CODE
        CHI   R3,EXT_CPU_TIMER
        JNE   bad
        EXIT
bad:    EXIT  4
extmask: .byte PSW_EXT >> 24
        .align 8
ten:    .word 0, 10
