* traps.s - a small program for the debugger's tests and tutorial (docs/debugging.md): a loop
* that calls a subroutine and stores a counter, then one trap of each kind: SVC, a program
* check (operation exception), START I/O with an I/O interruption, DIAGNOSE (console write).
* Runs bare and under CP with the same result: disabled wait, code 0.
        .include "tinycp.inc"

        .org  0
        .psw  0, start
        .org  LC_SVC_NEW
        .psw  0, svcnew
        .org  LC_PROGRAM_NEW
        .psw  0, pgmnew
        .org  LC_IO_NEW
        .psw  0, iodone

        .org  0x200
start:  LHI   R5,0                  ; R5 counts loop turns
        LHI   R6,5                  ; five turns
        LHI   R8,0                  ; R8 sums the counter (in sub)
loop:   AHI   R5,1
        ST    R5,counter            ; a watchpoint on counter stops here
        BAL   R14,sub               ; a call: step over skips it
        BRCT  R6,loop
        SVC   7                     ; supervisor call 7
        .word 0                     ; an operation exception (program check X'01')
        LA    R1,ccw
        ST    R1,LC_CAW
        SIO   CONSOLE               ; write a console line
        LPSW  waitio                ; wait for its I/O interruption
iodone: SAY   msg2, msg2len         ; DIAGNOSE X'10': a paravirtual console write
        L     R2,counter
        CHI   R2,5
        JNE   bad
        CHI   R3,7                  ; the SVC handler saved the SVC number
        JNE   bad
        CHI   R4,1                  ; the program-check handler saved the code
        JNE   bad
        EXIT
bad:    EXIT  4

sub:    L     R7,counter
        AR    R8,R7
        BR    R14

svcnew: L     R3,LC_SVC_CODE
        LPSW  LC_SVC_OLD
pgmnew: L     R4,LC_PGM_CODE
        LPSW  LC_PROGRAM_OLD

CONSOLE = DEV_CONSOLE
        .align 8
waitio: .psw  PSW_IO|PSW_WAIT, 0
ccw:    .ccw  CMD_WRITE, msg, 0, msglen
counter: .word 0
msg:    .ascii "traps: I/O"
msglen = * - msg
        .align 4
msg2:   .ascii "traps: DIAGNOSE"
msg2len = * - msg2
