* mover.s - the guest `tinycp lab relocate` moves between two CP systems mid-run. Each step it
* writes a block of its minidisk (SEEK + WRITE, PoO 8.10.5), reads back the block it wrote the
* step before (so after a move it reads what it wrote before it: the minidisk moved too), reads
* its CPU timer (the clocks moved), and prints "mover: step <n> disk <v> timer <t>". Between
* steps it computes for a while, so the move lands mid-computation as well as mid-I/O.
        .include "tinycp.inc"
STEPS = 40
DISK  = 0x191

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
waitio: .psw  PSW_IO|PSW_WAIT, 0
timer0: .word 0, 0x7FFFFFFF         ; a CPU timer that will not run out during the run
tval:   .word 0, 0
wrccw:  .ccw  CMD_SEEK, blkno, CCW_CC, 4
        .ccw  CMD_WRITE, outbuf, 0, 512
rdccw:  .ccw  CMD_SEEK, blkno, CCW_CC, 4
        .ccw  CMD_READ, inbuf, 0, 512
blkno:  .word 0
iosave: .word 0
line:   .space 80
t_step: .ascii "mover: step "
        .align 4
t_disk: .ascii " disk "
        .align 4
t_tmr:  .ascii " timer "
        .align 4
t_done: .ascii "mover: done"
        .align 4
outbuf: .space 512
inbuf:  .space 512

        .org  0x1000
boot:   SPT   timer0
        LHI   R8,1                  ; R8 = step
step:   LR    R0,R8                 ; block n = n*n + 7
        MSR   R0,R8
        AHI   R0,7
        ST    R0,outbuf
        ST    R8,blkno
        LA    R0,wrccw
        ST    R0,LC_CAW
        SIO   DISK
        JNZ   crash
        BRAS  R14,iowait
        LR    R0,R8                 ; read back block n-1
        AHI   R0,-1
        ST    R0,blkno
        LA    R0,rdccw
        ST    R0,LC_CAW
        SIO   DISK
        JNZ   crash
        BRAS  R14,iowait
        STPT  tval
        LA    R1,line
        LARL  R2,t_step
        LHI   R3,12
        BRAS  R14,putstr
        LR    R0,R8
        BRAS  R14,putdec
        LARL  R2,t_disk
        LHI   R3,6
        BRAS  R14,putstr
        L     R0,inbuf
        BRAS  R14,putdec
        LARL  R2,t_tmr
        LHI   R3,7
        BRAS  R14,putstr
        L     R0,tval+4             ; the timer's low word, halved: a number PUTDEC can print
        SRL   R0,1
        BRAS  R14,putdec
        LA    R2,line
        SR    R1,R2
        DIAG  R2,R1,DIAG_CONSOLE_WRITE
        LHI   R0,3000               ; compute a while
sp:     BRCT  R0,sp
        AHI   R8,1
        CHI   R8,STEPS
        JNH   step
        SAY   t_done, 11
        EXIT  0

* IOWAIT: wait, enabled for I/O only, for the operation just started.
iowait: ST    R14,iosave
        LPSW  waitio
gotio:  L     R14,iosave
        BR    R14

crash:  EXIT  0xBAC
        .include "fmt.inc"
        .ltorg
