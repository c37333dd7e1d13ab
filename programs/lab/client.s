* client.s - a client of the driver domain: NREQ requests "write value V at block B", each sent
* through the CTC, then a READ for the acknowledgement. A driver that (re)starts announces itself
* to every client with a request number 0 ("hello"): a client waits for the first hello before
* it sends anything, and a later hello means the driver restarted and may have lost the request
* it was answering, so the client sends that request again. Writes are idempotent, so repeating
* one the driver had done is harmless; an acknowledgement for an earlier request is ignored.
* "ack <n>" is printed for each request acknowledged, "retry <n>" for each resend.
*
* Why not a timeout? A clock here is the VM's own virtual time (src/cpu/clocks.ts): a VM that
* waits with its CPU timer set skips straight to the timer's end, so a timeout measured in its own
* time expires at once in everyone else's. Only the other side can say "I am back".
* The top-level source sets CLIENT and NREQ.
        .include "tinycp.inc"
        .include "ctc.inc"

        .org  0
        .psw  0, boot
        .org  LC_EXTERNAL_NEW
        .psw  0, crash
        .psw  0, crash
        .psw  0, crash
        .psw  0, crash
        .psw  0, gotio

        .org  0x200
        .align 8
waitio: .psw  PSW_IO|PSW_WAIT, 0    ; wait for the CTC
wrccw:  .ccw  CMD_WRITE, req, 0, REC
rdccw:  .ccw  CMD_READ, ack, 0, REC
iocont: .word 0                     ; return address of IOWAIT
req:    .space REC
ack:    .space REC
line:   .space 40
t_ack:  .ascii "ack "
        .align 4
t_retry: .ascii "retry "
        .align 4
t_done: .ascii "client done"

        .org  0x1000
boot:   XR    R8,R8                 ; R8 = request number (0 until the driver says hello)
hello:  LA    R0,rdccw
        ST    R0,LC_CAW
        SIO   CTC
        JNZ   crash
        BRAS  R14,iowait
        L     R0,ack+R_SEQ
        LTR   R0,R0
        JNZ   hello
        LHI   R8,1
next:   LHI   R0,CLIENT             ; the request: block (CLIENT-1)*NREQ + n, value CLIENT*1000 + n
        ST    R0,req+R_CLIENT
        ST    R8,req+R_SEQ
        LR    R0,R8
        AHI   R0,(CLIENT-1)*NREQ
        ST    R0,req+R_BLOCK
        LR    R0,R8
        AHI   R0,CLIENT*1000
        ST    R0,req+R_VALUE
send:   LA    R0,wrccw
        ST    R0,LC_CAW
        SIO   CTC
        JNZ   crash
        BRAS  R14,iowait
read:   LA    R0,rdccw              ; the acknowledgement
        ST    R0,LC_CAW
        SIO   CTC
        JNZ   crash
        BRAS  R14,iowait
        L     R0,ack+R_SEQ
        LTR   R0,R0
        JZ    retry                 ; hello: the driver restarted
        CR    R0,R8
        JNE   read                  ; an old acknowledgement (a request sent twice): ignore it
        LARL  R2,t_ack
        LHI   R3,4
        BRAS  R13,say
        AHI   R8,1
        CHI   R8,NREQ
        JNH   next
        SAY   t_done, 11
        EXIT  0

retry:  LARL  R2,t_retry             ; say so, and send the request again
        LHI   R3,6
        BRAS  R13,say
        J     send

* IOWAIT: wait, enabled for I/O only, for the interruption of the operation just started.
iowait: ST    R14,iocont
        LPSW  waitio
gotio:  L     R14,iocont
        BR    R14

* SAY: the text at R2 (R3 bytes) and the request number R8 on the console. Return by R13.
say:    LA    R1,line
        BRAS  R14,putstr
        LR    R0,R8
        BRAS  R14,putdec
        LA    R2,line
        SR    R1,R2
        DIAG  R2,R1,DIAG_CONSOLE_WRITE
        BR    R13

crash:  EXIT  0xBAC
        .include "fmt.inc"
        .ltorg
