* minicms.s - a stand-in for the toy CMS (programs/cms/cms.s) in the time-sharing demo: a
* console-driven single-user guest with the same devices (console 009, reader 00C, punch 00D,
* printer 00E, A-disk 191) and the same CP paths (DIAGNOSE X'08').
*
* Commands (first letter decides; the rest of the line is the operand):
*   SEND user   punch a deck (":READ GREET TEXT" header + text cards) to user's reader
*   RECEIVE     read the reader to end of file; store the cards on the A-disk (block 0 = count,
*               block k = card k) and type each one
*   TYPE        type the cards stored on the A-disk
*   PRINT       print the A-disk cards on the printer
*   QUIT        end (disabled wait, code 0)
        .include "tinycp.inc"
        .include "demo.inc"

CONS = DEV_CONSOLE
RDR  = DEV_READER
PUN  = DEV_PUNCH
PRT  = DEV_PRINTER
DISK = 0x191

        .org  0
        .psw  0, start
        .org  LC_PROGRAM_NEW
        .psw  PSW_WAIT, 0xBAC
        .org  LC_IO_NEW
        .psw  0, ioint

        .org  0x200
start:  SAY   hello,hellolen
cmd:    LHI   R2,CONS               ; read a command line
        LARL  R3,rdccw
        BRAS  R14,doio
        LHI   R1,80
        SR    R1,R5                 ; R1 = length typed
        ST    R1,inlen
        CLI   inbuf,'S'
        JE    send
        CLI   inbuf,'R'
        JE    receive
        CLI   inbuf,'T'
        JE    type
        CLI   inbuf,'P'
        JE    print
        CLI   inbuf,'Q'
        JE    quit
        SAY   what,whatlen
        J     cmd
quit:   SAY   bye,byelen
        EXIT

* SEND user: "SPOOL PUNCH TO " + operand, punch the deck, "CLOSE PUNCH".
send:   LA    R8,spcmd+15           ; after "SPOOL PUNCH TO "
        LA    R9,inbuf+5            ; after "SEND "
        L     R10,inlen
        AHI   R10,-5
        JNP   what1
        LR    R11,R10
copy:   IC    R1,0(R9)
        STC   R1,0(R8)
        AHI   R8,1
        AHI   R9,1
        BRCT  R11,copy
        LARL  R14,spcmd
        LA    R15,15(R10)
        DIAG  R14,R15,DIAG_CP_COMMAND
        LTR   R15,R15
        JNZ   failed
        LARL  R12,deck              ; punch each card of the deck
        LHI   R13,ncards
pcard:  LARL  R3,punccw
        ST    R12,0(R3)
        MVI   0(R3),CMD_WRITE
        LHI   R2,PUN
        BRAS  R14,doio
        CHI   R4,(UNIT_CHANNEL_END|UNIT_DEVICE_END)<<8
        JNE   failed
        AHI   R12,80
        BRCT  R13,pcard
        CPCMD clcmd,clcmdlen
        SAY   sent,sentlen
        J     cmd
what1:  SAY   what,whatlen
        J     cmd
failed: SAY   fail,faillen
        J     cmd

* RECEIVE: cards to blocks 1.., count to block 0.
receive: LHI  R12,0                 ; cards stored
rcard:  LHI   R2,RDR
        LARL  R3,rdrccw
        BRAS  R14,doio
        TM    csw4,UNIT_EXCEPTION   ; end of file
        JO    rdone
        CHI   R4,(UNIT_CHANNEL_END|UNIT_DEVICE_END)<<8
        JNE   failed
        AHI   R12,1
        ST    R12,blockno
        BRAS  R14,wrblock           ; card buffer -> block R12
        SAY   card,80
        J     rcard
rdone:  LTR   R12,R12
        JZ    empty
        ST    R12,count
        LHI   R1,0
        ST    R1,blockno
        LARL  R1,count
        ST    R1,wccw
        MVI   wccw,CMD_WRITE
        BRAS  R14,wrblock
        LR    R7,R12
        LA    R8,gotn
        BRAS  R14,decimal
        SAY   got,gotlen
        J     cmd
empty:  SAY   none,nonelen
        J     cmd

* TYPE / PRINT: read block 0, then blocks 1..count into the card buffer.
type:   LHI   R11,0
        J     list
print:  LHI   R11,1
list:   LHI   R1,0
        ST    R1,blockno
        LARL  R1,count
        ST    R1,rccw
        MVI   rccw,CMD_READ
        BRAS  R14,rdblock
        L     R13,count
        LTR   R13,R13
        JNP   empty
        LARL  R1,card
        ST    R1,rccw
        MVI   rccw,CMD_READ
        LHI   R12,1
lnext:  ST    R12,blockno
        BRAS  R14,rdblock
        LTR   R11,R11
        JNZ   lprt
        SAY   card,80
        J     lstep
lprt:   LHI   R2,PRT
        LARL  R3,prtccw
        BRAS  R10,doiosave
lstep:  AHI   R12,1
        BRCT  R13,lnext
        J     cmd

* Block I/O on the A-disk: SEEK blockno, then one READ or WRITE (command-chained).
wrblock: LARL R3,seekw
        J     dskio
rdblock: LARL R3,seekr
dskio:  LR    R10,R14
        LHI   R2,DISK
        BRAS  R14,doio
        CHI   R4,(UNIT_CHANNEL_END|UNIT_DEVICE_END)<<8
        JNE   failed
        LARL  R1,card               ; restore the write CCW's default buffer
        ST    R1,wccw
        MVI   wccw,CMD_WRITE
        BR    R10
doiosave: BRAS R14,doio             ; doio with the return address in R10
        BR    R10

        DOIOSUB
        DECIMALSUB
        .ltorg
        .align 8
rdccw:  .ccw  CMD_READ, inbuf, CCW_SLI, 80
rdrccw: .ccw  CMD_READ, card, CCW_SLI, 80
punccw: .ccw  CMD_WRITE, deck, 0, 80
prtccw: .ccw  CMD_WRITE, card, 0, 80
seekw:  .ccw  CMD_SEEK, blockno, CCW_CC, 4
wccw:   .ccw  CMD_WRITE, card, CCW_SLI, 512
seekr:  .ccw  CMD_SEEK, blockno, CCW_CC, 4
rccw:   .ccw  CMD_READ, card, CCW_SLI, 512
csw4    = LC_CSW+4
inlen:  .word 0
blockno: .word 0
count:  .word 0
        .space 508
        .align 4
inbuf:  .space 80
        .align 4
card:   .space 512
        .align 4
        .align 4
spcmd:  .ascii "SPOOL PUNCH TO "
        .space 72
        .align 4
clcmd:  .ascii "CLOSE PUNCH"
clcmdlen = * - clcmd
        .align 4
hello:  .ascii "MINICMS READY (SEND user, RECEIVE, TYPE, PRINT, QUIT)"
hellolen = * - hello
        .align 4
what:   .ascii "?"
whatlen = * - what
        .align 4
bye:    .ascii "MINICMS ENDS"
byelen = * - bye
        .align 4
sent:   .ascii "DECK PUNCHED AND CLOSED"
sentlen = * - sent
        .align 4
fail:   .ascii "I/O OR CP COMMAND FAILED"
faillen = * - fail
        .align 4
none:   .ascii "NO CARDS"
nonelen = * - none
        .align 4
got:    .ascii "RECEIVE: "
gotn:   .ascii "          CARDS STORED ON THE A-DISK"
gotlen = * - got
        .align 4
deck:   .ascii ":READ GREET TEXT                                                                "
        .ascii "HELLO FROM THE OTHER SIDE OF THE SPOOL.                                         "
        .ascii "THIS DECK WAS PUNCHED BY ONE VIRTUAL MACHINE AND READ BY ANOTHER.               "
        .ascii "CP MOVED IT THROUGH A SPOOL FILE ON THE HOST.                                   "
ncards = (* - deck) / 80
