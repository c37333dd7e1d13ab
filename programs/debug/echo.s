* echo.s - read one line from the console and write it back (the debugger's input-replay test):
* the READ waits in an enabled wait until the operator types a line.
        .include "tinycp.inc"

        .org  0
        .psw  0, start
        .org  LC_IO_NEW
        .psw  0, gotio

        .org  0x200
start:  LA    R1,rdccw
        ST    R1,LC_CAW
        SIO   CONSOLE               ; start the READ: it completes when a line is typed
        LPSW  waitio
gotio:  L     R3,LC_CSW+4           ; residual count in the low halfword
        NIL   R3,0xFFFF
        LHI   R4,80
        SR    R4,R3                 ; bytes read
        STH   R4,wrccw+6            ; write back exactly that many
        LA    R1,wrccw
        ST    R1,LC_CAW
        LA    R1,done
        ST    R1,LC_IO_NEW+4        ; the next I/O interruption ends the program
        SIO   CONSOLE
        LPSW  waitio
done:   EXIT

CONSOLE = DEV_CONSOLE
        .align 8
waitio: .psw  PSW_IO|PSW_WAIT, 0
rdccw:  .ccw  CMD_READ, buf, CCW_SLI, 80
wrccw:  .ccw  CMD_WRITE, buf, 0, 80
buf:    .space 80
