* driver.s - the driver domain: a service VM that owns a minidisk and writes blocks on behalf of
* its clients, as VM/370's service machines served others. Loop: READ a request from the CTC,
* write its block (SEEK + WRITE, PoO 8.10.5), and only when the disk has ended the WRITE send the
* acknowledgement back. So an acknowledged write is on the minidisk (which outlives this VM): a
* restart of the driver loses only requests it had not acknowledged, and the clients resend them.
* The driver keeps no state across requests, so CP can re-IPL it at any moment; when it starts it
* says hello to each client, which resends the request it was waiting on. The top-level source
* sets NCLIENTS.
        .include "tinycp.inc"
        .include "ctc.inc"

        .org  0
        .psw  0, boot
        .org  LC_EXTERNAL_NEW
        .psw  0, crash
        .psw  0, crash
        .psw  0, crash
        .psw  0, crash
        .psw  0, gotio              ; LC_IO_NEW: back to where `iowait` was called

        .org  0x200
        .align 8
waitio: .psw  PSW_IO|PSW_WAIT, 0    ; wait for the one I/O this driver has started
rdccw:  .ccw  CMD_READ, req, 0, REC
wrccw:  .ccw  CMD_WRITE, req, 0, REC
dkccw:  .ccw  CMD_SEEK, blkno, CCW_CC, 4
        .ccw  CMD_WRITE, block, 0, 512
blkno:  .word 0
iosave: .word 0                     ; return address of IOWAIT
req:    .space REC
up:     .ascii "driver up"
        .align 4
block:  .space 512

        .org  0x1000
boot:   SAY   up, 9
        LHI   R8,NCLIENTS           ; hello (request number 0) to every client: "I am (back) up"
hi:     ST    R8,req+R_CLIENT
        XR    R0,R0
        ST    R0,req+R_SEQ
        LA    R0,wrccw
        ST    R0,LC_CAW
        SIO   CTC
        JNZ   crash
        BRAS  R14,iowait
        BRCT  R8,hi
loop:   LA    R0,rdccw              ; the next request
        ST    R0,LC_CAW
        SIO   CTC
        JNZ   crash
        BRAS  R14,iowait
        L     R0,req+R_BLOCK        ; the block: (request number, value), the rest zero
        ST    R0,blkno
        L     R0,req+R_SEQ
        ST    R0,block
        L     R0,req+R_VALUE
        ST    R0,block+4
        LA    R0,dkccw
        ST    R0,LC_CAW
        SIO   DISK
        JNZ   crash
        BRAS  R14,iowait
        TM    LC_CSW+4,UNIT_CHECK   ; the write failed (past the end of the minidisk): no ack
        JO    loop
        LA    R0,wrccw              ; now, and only now, the acknowledgement
        ST    R0,LC_CAW
        SIO   CTC
        JNZ   crash
        BRAS  R14,iowait
        J     loop

* IOWAIT: wait, enabled for I/O only, for the interruption of the operation just started.
iowait: ST    R14,iosave
        LPSW  waitio
gotio:  L     R14,iosave
        BR    R14

crash:  EXIT  0xBAC
