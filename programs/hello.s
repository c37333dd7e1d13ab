* hello.s - print "Hello, world" on the console the way System/370 did it: build a channel
* program (one CCW), point the channel address word at it, START I/O, then wait in an enabled
* wait state until the console's I/O interruption arrives. Runs bare and under CP unchanged.
        .include "tinycp.inc"

        .org  0                     ; the IPL PSW: supervisor state, all interruptions disabled
        .psw  0, start
        .org  LC_IO_NEW             ; where an I/O interruption goes: our handler, disabled
        .psw  0, iodone

        .org  0x200
start:  LA    R1,ccw
        ST    R1,LC_CAW             ; channel address word -> the channel program
        SIO   CONSOLE               ; start the console write
        JNZ   nostart               ; CC 0 means started
        LPSW  waitio                ; enabled wait for the I/O interruption

iodone: L     R2,LC_IO_ADDR         ; which device interrupted?
        CHI   R2,CONSOLE
        JNE   wrongdev
        L     R3,LC_CSW+4           ; CSW: unit status, channel status, residual count
        SRL   R3,24
        CHI   R3,UNIT_CHANNEL_END|UNIT_DEVICE_END
        JNE   badstatus
        EXIT                        ; disabled wait, code 0: success

nostart:   EXIT 4
wrongdev:  EXIT 8
badstatus: EXIT 12

CONSOLE = DEV_CONSOLE
        .align 8
waitio: .psw  PSW_IO|PSW_WAIT, 0    ; wait state, enabled for I/O
ccw:    .ccw  CMD_WRITE, msg, 0, msglen
msg:    .ascii "Hello, world"
msglen = * - msg
