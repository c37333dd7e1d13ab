* para-ssm.s - programs/theorem.s, paravirtualized: the guest knows it may run under a monitor
* and never executes the sensitive SSM there. DIAGNOSE IDENTIFY (privileged on every profile, so
* it always reaches CP) tells it how deep it is. On the bare machine (level 0) it uses SSM, which
* is safe there; in a virtual machine it asks CP instead, with a hypercall: DIAGNOSE X'08' with
* the CP command "STORE PSW 01000000 <address of go>", which loads the PSW it wants, external
* interruptions enabled, at once (PoO 11.3; CP answers STORED PSW on the console: the guest is
* no longer unaware of CP). The text's address is formatted at run time. Under a monitor with no
* CP commands (minicp) the DIAGNOSE fails and the guest falls back to SSM.
* On the leaky-popf profile, where SSM silently does nothing in problem state, this runs under
* plain trap-and-emulate CP exactly as on the bare machine: paravirtualization, the fifth way
* out (docs/teaching.md, lab 9).
        .include "tinycp.inc"
        .org  0
        .psw  0, start
        .org  LC_EXTERNAL_NEW
        .psw  0, tick
        .org  0x200
start:  SPT   ten                     ; CPU timer: due soon
        DIAG  R4,R5,DIAG_IDENTIFY     ; R5 = nesting level (0: the bare machine)
        LTR   R5,R5
        JNZ   virt
        SSM   extmask                 ; bare: the native instruction is safe
        J     go
virt:   LARL  R8,go                   ; format go's address as 8 hex digits into the command
        LA    R9,cmdend-1
        LHI   R10,8
hexout: LR    R11,R8
        SLL   R11,28
        SRL   R11,28                  ; the low hex digit
        IC    R11,digits(R11)
        STC   R11,0(R9)
        AHI   R9,-1
        SRL   R8,4
        BRCT  R10,hexout
        LA    R6,cmd
        LHI   R7,cmdend-cmd
        DIAG  R6,R7,DIAG_CP_COMMAND   ; the hypercall: CP loads the PSW, we go on at go
        SSM   extmask                 ; a monitor without CP commands (minicp): trap-and-emulate it
go:     LHI   R2,1000
wait:   BRCT  R2,wait                 ; the timer interrupts this loop ...
        EXIT  8                       ; ... unless the mask never came on
tick:   L     R3,LC_EXT_CODE
        CHI   R3,EXT_CPU_TIMER
        JNE   bad
        EXIT
bad:    EXIT  4
        .align 8
ten:    .word 0, 30
extmask: .byte PSW_EXT >> 24
digits: .ascii "0123456789ABCDEF"
cmd:    .ascii "STORE PSW 01000000 00000000"
cmdend:
