* syscall.s - OSTEP's system-call flow: a guest OS in supervisor state drops its user program
* into problem state with LPSW; the user program makes `count` system calls (SVC 1); the OS
* handler does the work and returns with LPSW of the SVC old PSW; SVC 2 ends the run.
* Under CP each call costs exactly two CP entries: the SVC (reflected) and the LPSW (emulated).
        .include "tinycp.inc"
        .org  0
        .psw  0, start
        .org  LC_SVC_NEW
        .psw  0, svc                ; the OS's SVC handler: supervisor state, disabled
        .org  0x200
start:  L     R2,count
        LHI   R5,0
        LPSW  user                  ; enter the user program in problem state
uloop:  SVC   1                     ; system call: "add one to R5"
        BRCT  R2,uloop
        SVC   2                     ; system call: "exit"
svc:    L     R7,LC_SVC_CODE
        CHI   R7,1
        JNE   quit
        AHI   R5,1
        LPSW  LC_SVC_OLD            ; return to the caller
quit:   C     R5,count              ; every call was made and served
        JNE   bad
        EXIT
bad:    EXIT  4
        .align 8
user:   .psw  PSW_PROBLEM, uloop
count:  .word 100000
