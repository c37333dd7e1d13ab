* int_reader.s - a unit exception (PoO 8.6): READ on the card reader with no cards ends with
* CHANNEL END | DEVICE END | UNIT EXCEPTION (end of file), nothing read (residual = the count),
* and no incorrect length alongside a unit exception.
        .include "tinycp.inc"
        .include "testlib.inc"
        TESTINIT
RDR = DEV_READER
start:  SETNEW LC_IO_NEW,ioh
        LA    R1,ccw
        ST    R1,LC_CAW
        SIO   RDR
        CHKCC 0,1
        LPSW  waitio
ioh:    CHKM  LC_IO_ADDR,RDR,2
        CHKPSW LC_IO_OLD,PSW_IO|PSW_WAIT,waitio,3
        CHKM  LC_CSW,ccw+8,5
        CHKM  LC_CSW+4,(UNIT_CHANNEL_END|UNIT_DEVICE_END|UNIT_EXCEPTION)<<24|80,6
        CHKM  card,0x5A5A5A5A,7       ; nothing stored
        PASS
        .align 8
waitio: .psw  PSW_IO|PSW_WAIT, waitio
ccw:    .ccw  CMD_READ, card, 0, 80
card:   .space 80,0x5A
