* cms.s - a toy CMS: the single-user operating system of one virtual machine, after VM/370's
* Conversational Monitor System. It reads commands from its console, keeps files on its A-disk
* (a minidisk at X'191'), sends files through its punch and receives them from its reader, and
* loads and runs programs from files. It talks to CP through DIAGNOSE where that is the natural
* paravirtual path (console output: X'10'; CP commands: X'08') and does real channel programs
* for the console input, the disk, the reader and the punch.
*
* Structure: this file (the nucleus: interruptions, I/O, the command loop), cms-lib.s (text and
* number formatting, the tokenizer), cms-fs.s (the file system), cms-cmds.s (the commands).
* Commands, disk format and conventions: docs/guests.md.
*
* Conventions: CMS runs in supervisor state, DAT off, every interruption disabled except in its
* I/O waits. R13 is a stack of return addresses (PROLOG / RETURN); a command ends by jumping to
* `cmdok` (return code 0) or `cmderr` / `cmdret` (return code in R15).
        .include "tinycp.inc"
        .include "cms.inc"

* ---- Interruption new PSWs (PoO 5.1) ----
        .org  0
        .psw  0, boot
        .org  LC_EXTERNAL_NEW
        .psw  0, extint
        .psw  0, svcint             ; LC_SVC_NEW
        .psw  0, pgmint             ; LC_PROGRAM_NEW
        .psw  0, pgmint             ; LC_MCHECK_NEW
        .psw  0, ioint              ; LC_IO_NEW

* ---- Nucleus data: below X'1000' for SI, RS and S instructions with no base ----
        .org  0x200
iosave:   .space 64                 ; registers while waiting for an I/O interruption
          .align 8
waitio:   .psw  PSW_IO|PSW_WAIT, 0
seekccw:  .ccw  CMD_SEEK, seekarg, CCW_CC, 4 ; disk: SEEK then one READ or WRITE
dataccw:  .ccw  CMD_READ, 0, 0, BLKSIZE
probeccw: .ccw  CMD_SEEK, seekarg, 0, 4      ; FORMAT: is there a block here?
conccw:   .ccw  CMD_READ, INBUF, CCW_SLI, INMAX
cardccw:  .ccw  CMD_READ, CARDBUF, CCW_SLI, 80
punccw:   .ccw  CMD_WRITE, 0, 0, 1
seekarg:  .word 0
iodev:    .word 0                   ; device whose interruption we wait for
csw1:     .word 0                   ; its CSW, second word (status, residual count)
ntok:     .word 0                   ; tokens of the last tokenized line
plist:    .space 64                 ; 8 tokens of 8 characters, blank padded (CMS's PLIST)
tokoff:   .space 32                 ; offset of each token in its line
inlen:    .word 0
names:    .space 32                 ; file names saved by a command (fn ft [fn2 ft2])
userr13:  .word 0                   ; R13 while a RUN program runs
* The file system's state (cms-fs.s).
rblk:     .word 0                   ; reader: block in RBUF
roff:     .word 0                   ;   offset of the next record
wfirst:   .word 0                   ; writer: first block
wcur:     .word 0                   ;   block in WBUF
woff:     .word 0                   ;   offset of the next record
wrecs:    .word 0                   ;   records written
wblks:    .word 0                   ;   blocks used
fpsave:   .space 8                  ; fputrec: its record while it chains a block
formatted: .byte 0                  ; the A-disk holds a file system (accessed)
diskok:   .byte 0                   ; the A-disk is attached
          .align 4
nucdata_end = *
        .if   nucdata_end > STACKTOP-256
        .error "nucleus data runs into the stack"
        .endif

        .org  0x1000
* =============================================================================================
* IPL: access the A-disk, greet, and enter the command loop.
* =============================================================================================
boot:   LI    R13,STACKTOP
        TYPEMSG m_hello
        CALL  access
        CLI   diskok,1
        JE    boot1
        TYPEMSG m_nodisk
        J     boot3
boot1:  CLI   formatted,1
        JE    boot2
        TYPEMSG m_unform
        J     boot3
boot2:  CALL  countfiles
        LA    R1,OUTBUF
        OUT   m_adisk
        LR    R0,R4
        CALL  putdec
        CALL  outline
boot3:  XR    R15,R15
        J     cmdret

* =============================================================================================
* The command loop. `cmdret`: a command ended with return code R15 (0: "Ready;").
* =============================================================================================
cmderr: CALL  typeline              ; the failing command's message
        CLI   formatted,1           ; undo what the command changed in storage
        JNE   cmdret
        LR    R12,R15
        CALL  access
        LR    R15,R12
        J     cmdret
cmdok:  XR    R15,R15
cmdret: LI    R13,STACKTOP
        LA    R1,OUTBUF
        OUT   m_ready
        LTR   R15,R15
        JZ    cr1
        LR    R0,R15                ; "Ready(00004);": rc + 100000, then '(' over its '1'
        A     R0,=100000
        CALL  putdec
        LHI   R0,'('
        STC   R0,OUTBUF+5
        LHI   R0,')'
        STC   R0,0(R1)
        LA    R1,1(R1)
cr1:    LHI   R0,';'
        STC   R0,0(R1)
        LA    R1,1(R1)
        CALL  outline
cmdread: CALL readline
        ST    R2,inlen
        CALL  tokenize
        L     R0,ntok
        LTR   R0,R0
        JZ    cmdread               ; an empty line: nothing to do
        LARL  R3,cmdtab
ct1:    L     R0,0(R3)
        LTR   R0,R0
        JZ    unknown
        C     R0,plist
        JNE   ct2
        L     R0,4(R3)
        C     R0,plist+4
        JNE   ct2
        L     R15,8(R3)
        BR    R15                   ; the command's handler
ct2:    LA    R3,12(R3)
        J     ct1
unknown: LA   R1,OUTBUF
        OUT   m_unknown
        LA    R2,plist
        CALL  putname
        LA    R2,OUTBUF
        SR    R1,R2
        LR    R2,R1
        LA    R1,OUTBUF
        LHI   R15,1
        J     cmderr

* Failures shared by the commands.
nodisk: ERROR m_notform, 36
badargs: ERROR m_badargs, 24
notfound: ERROR m_notfound, 28
exists: ERROR m_exists, 28
ioerror: ERROR m_ioerr, 100

* =============================================================================================
* I/O. DOIO: run the channel program at R3 on device R2 and wait for its interruption.
* Out: R0 = 0 when it ended with channel end + device end and nothing else, else not 0;
* `csw1` = the CSW's second word. Other registers unchanged.
* =============================================================================================
doio:   ST    R3,LC_CAW
        ST    R2,iodev
        STM   R0,R15,iosave
        SIO   0(R2)
        JZ    dw1
        LHI   R0,-1                 ; not started: not attached (CC 3), busy (2), CSW stored (1)
        ST    R0,csw1
        BR    R14
dw1:    LPSW  waitio                ; ioint comes back to iodone
iodone: LM    R0,R15,iosave
        L     R0,csw1
        SRL   R0,16             ; unit status, channel status
        XIL   R0,(UNIT_CHANNEL_END|UNIT_DEVICE_END)<<8
        BR    R14

* I/O interruption: the device we wait for ends the wait; any other is ignored.
ioint:  L     R0,LC_IO_ADDR
        C     R0,iodev
        JNE   ioignore
        L     R0,LC_CSW+4
        ST    R0,csw1
        J     iodone
ioignore: LPSW LC_IO_OLD

* External interruption (the interrupt key): ignored.
extint: LPSW  LC_EXTERNAL_OLD

* Program check (also an SVC, which CMS does not offer): a RUN program or CMS failed. Report
* it and go back to the command loop.
svcint: L     R0,LC_SVC_CODE
        OIL   R0,0x100
        L     R9,LC_SVC_OLD+4
        J     pgm1
pgmint: L     R0,LC_PGM_CODE
        L     R9,LC_PROGRAM_OLD+4
pgm1:   LI    R13,STACKTOP
        LR    R8,R0
        LA    R1,OUTBUF
        OUT   m_abend
        LR    R0,R8
        LHI   R4,4
        CALL  puthex
        OUT   m_at
        LR    R0,R9
        LHI   R4,6
        CALL  puthex
        LHI   R0,0x27               ; a quote
        STC   R0,0(R1)
        LA    R1,1(R1)
        CALL  outline
        LHI   R15,256
        J     cmdret

* READLINE: read a console line into INBUF. Out: R1 = INBUF, R2 = its length.
readline:
        PROLOG
        LHI   R2,CONSOLE
        LA    R3,conccw
        CALL  doio
        LA    R1,INBUF
        LHI   R2,INMAX
        LLH   R0,csw1+2             ; residual count
        SR    R2,R0
        RETURN

* READCARD: read a card into CARDBUF. Out: R0 = 0 a card, 1 end of file, other: error.
rdcard: PROLOG
        LHI   R2,READER
        LA    R3,cardccw
        CALL  doio
        LTR   R0,R0
        JZ    rc1
        L     R0,csw1
        SRL   R0,24
        CHI   R0,UNIT_CHANNEL_END|UNIT_DEVICE_END|UNIT_EXCEPTION
        JNE   rc1
        LHI   R0,1
rc1:    RETURN

* PUNCHCARD: punch R2 bytes (1-80) from R1. Out: R0 = 0 when done.
pchcard: PROLOG
        LR    R0,R1
        O     R0,=CMD_WRITE<<24
        ST    R0,punccw
        ST    R2,punccw+4
        LHI   R2,PUNCH
        LA    R3,punccw
        CALL  doio
        RETURN

* CPCMD: give CP the command of R2 bytes at R1 (DIAGNOSE X'08'). Out: R2 = CP's return code
* (on the bare machine, with no CP: condition code 3, R2 = -1).
cpcmd:  DIAG  R1,R2,DIAG_CP_COMMAND
        BNOR  R14
        LHI   R2,-1
        BR    R14

        .include "cms-lib.s"
        .include "cms-fs.s"
        .include "cms-cmds.s"
        .ltorg
