* int_io.s - I/O instructions and the I/O interruption (PoO 8): START I/O of a console write
* (CC 0), the device busy meanwhile (SIO/TIO CC 2), the interruption in an enabled wait with
* the device address at LC_IO_ADDR, the CSW (CCW address + 8, CE|DE, residual 0) and the wait
* PSW as old PSW; then TIO CC 0; a device that does not exist answers CC 3.
        .include "tinycp.inc"
        .include "testlib.inc"
        TESTINIT
CONS = DEV_CONSOLE
start:  SETNEW LC_IO_NEW,ioh
        SIO   0x123                   ; no such device
        CHKCC 3,1
        TIO   0x123
        CHKCC 3,2
        TIO   CONS                    ; idle
        CHKCC 0,3
        LA    R1,ccw
        ST    R1,LC_CAW
        SIO   CONS
        CHKCC 0,4
        SIO   CONS                    ; still busy (the write takes 100 + 11 units)
        CHKCC 2,5
        TIO   CONS
        CHKCC 2,6
        LPSW  waitio                  ; enabled wait for the interruption
ioh:    CHKM  LC_IO_ADDR,CONS,7
        CHKPSW LC_IO_OLD,PSW_IO|PSW_WAIT,0,8   ; the wait PSW as loaded (CC 0)
        CHKM  LC_CSW,ccw+8,10
        CHKM  LC_CSW+4,(UNIT_CHANNEL_END|UNIT_DEVICE_END)<<24,11
        TIO   CONS                    ; the interruption was taken: available
        CHKCC 0,12
* poll instead of interrupting: I/O stays disabled, TIO finds the pending status (CC 1, CSW stored)
        LHI   R1,0
        ST    R1,LC_CSW+4
        LA    R1,ccw2
        ST    R1,LC_CAW
        SIO   CONS
        CHKCC 0,13
poll:   TIO   CONS
        BRC   2,poll                  ; CC 2: busy
        CHKCC 1,14
        CHKM  LC_CSW,ccw2+8,15
        CHKM  LC_CSW+4,(UNIT_CHANNEL_END|UNIT_DEVICE_END)<<24,16
        TIO   CONS
        CHKCC 0,17
        PASS
        .align 8
waitio: .psw  PSW_IO|PSW_WAIT, 0
ccw:    .ccw  CMD_WRITE, msg, 0, msglen
ccw2:   .ccw  CMD_WRITE, msg2, CCW_SLI, 6
msg:    .ascii "I/O test 1"
msglen = * - msg
msg2:   .ascii "polled"
