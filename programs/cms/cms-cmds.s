* cms-cmds.s - the CMS commands. Included by cms.s. Each handler is entered by a branch from the
* command loop with the tokens in `plist` / `ntok` and the line in INBUF (`inlen` bytes); it
* ends with `J cmdok` (rc 0), `J cmdret` (rc in R15) or an ERROR (message and rc).

        .align 4
cmdtab: COMMAND "FORMAT", c_format
        COMMAND "LISTFILE", c_list
        COMMAND "LISTF", c_list
        COMMAND "TYPE", c_type
        COMMAND "CREATE", c_create
        COMMAND "COPYFILE", c_copy
        COMMAND "COPY", c_copy
        COMMAND "ERASE", c_erase
        COMMAND "PUNCH", c_punch
        COMMAND "READCARD", c_readc
        COMMAND "RUN", c_run
        COMMAND "CP", c_cp
        COMMAND "HELP", c_help
        COMMAND "LOGOFF", c_logoff
        .word 0

* FORMAT: make an empty file system on the A-disk.
c_format:
        CALL  fsformat
        LA    R1,OUTBUF
        OUT   m_fmt
        LR    R0,R4
        CALL  putdec
        OUT   m_blocks
        CALL  outline
        J     cmdok

* LISTFILE: one line per file: name, type, mode, records, blocks.
c_list: NEEDDISK
        LA    R9,DIRBUF
        LHI   R10,NDIRENT
        XR    R11,R11
li1:    CLI   D_FN(R9),0
        JE    li2
        LTR   R11,R11
        JNZ   li1a
        TYPEMSG m_listhdr
li1a:   AHI   R11,1
        LA    R1,OUTBUF
        LR    R2,R9
        LHI   R3,8
        CALL  putstr
        OUT   m_blank
        LA    R2,D_FT(R9)
        LHI   R3,8
        CALL  putstr
        OUT   m_a1
        L     R0,D_RECS(R9)
        LHI   R7,6
        CALL  putpad
        L     R0,D_BLKS(R9)
        LHI   R7,6
        CALL  putpad
        CALL  outline
li2:    LA    R9,DIRENT(R9)
        BRCT  R10,li1
        LTR   R11,R11
        JZ    notfound
        J     cmdok

* TYPE fn ft: the file's lines on the console.
c_type: NEEDDISK
        NEEDARGS 3
        LA    R1,plist+8
        CALL  lookup
        JZ    notfound
        CALL  fopenr
ty1:    CALL  fgetrec
        LTR   R2,R2
        JM    cmdok
        CALL  typeline
        J     ty1

* CREATE fn ft: the following console lines, up to an empty one, become the file.
c_create:
        NEEDDISK
        NEEDARGS 3
        LM    R0,R3,plist+8
        STM   R0,R3,names
        LA    R1,names
        CALL  lookup
        JNZ   exists
        TYPEMSG m_input
        CALL  fopenw
cre1:   CALL  readline
        LTR   R2,R2
        JZ    cre2
        CALL  fputrec
        J     cre1
cre2:   LA    R1,names
        CALL  fclosew
        J     cmdok

* COPYFILE fn1 ft1 fn2 ft2: a copy of file 1 named file 2 (which must not exist).
c_copy: NEEDDISK
        NEEDARGS 5
        LM    R0,R3,plist+8
        STM   R0,R3,names
        LM    R0,R3,plist+24
        STM   R0,R3,names+16
        LA    R1,names+16
        CALL  lookup
        JNZ   exists
        LA    R1,names
        CALL  lookup
        JZ    notfound
        CALL  fopenr
        CALL  fopenw
co1:    CALL  fgetrec
        LTR   R2,R2
        JM    co2
        CALL  fputrec
        J     co1
co2:    LA    R1,names+16
        CALL  fclosew
        J     cmdok

* ERASE fn ft
c_erase: NEEDDISK
        NEEDARGS 3
        LA    R1,plist+8
        CALL  lookup
        JZ    notfound
        CALL  ferase
        CALL  flush
        J     cmdok

* PUNCH fn ft TO user: CP's SPOOL PUNCH TO user, a header card ":READ fn ft", one card per
* record, then CP's CLOSE PUNCH, which sends the deck to the user's reader.
c_punch: NEEDDISK
        NEEDARGS 5
        L     R0,plist+24
        C     R0,=C'TO  '
        JNE   badargs
        L     R0,plist+28
        C     R0,=C'    '
        JNE   badargs
        LM    R0,R3,plist+8
        STM   R0,R3,names
        LM    R0,R1,plist+32
        STM   R0,R1,names+16
        LA    R1,names
        CALL  lookup
        JZ    notfound
        LR    R9,R3
        LA    R1,CPBUF              ; CP: SPOOL PUNCH TO user
        OUT   m_spool
        LA    R2,names+16
        CALL  putname
        LA    R2,CPBUF
        SR    R1,R2
        LR    R2,R1
        LA    R1,CPBUF
        CALL  cpcmd
        LA    R1,CARDBUF            ; the header card
        OUT   m_rdhdr
        LA    R2,names
        CALL  putname
        OUT   m_blank
        LA    R2,names+8
        CALL  putname
        LA    R2,CARDBUF
        SR    R1,R2
        LR    R2,R1
        LA    R1,CARDBUF
        CALL  pchcard
        LTR   R0,R0
        JNZ   ioerror
        XR    R10,R10
        LR    R3,R9
        CALL  fopenr
pu1:    CALL  fgetrec
        LTR   R2,R2
        JM    pu3
        JNZ   pu2
        LARL  R1,m_blank            ; an empty line: a blank card
        LHI   R2,1
pu2:    CALL  pchcard
        LTR   R0,R0
        JNZ   ioerror
        AHI   R10,1
        J     pu1
pu3:    LARL  R1,m_close            ; CP: CLOSE PUNCH
        LHI   R2,m_close_len
        CALL  cpcmd
        LA    R1,OUTBUF
        OUT   m_punched
        LR    R0,R10
        CALL  putdec
        OUT   m_cardsto
        LA    R2,names+16
        CALL  putname
        CALL  outline
        J     cmdok

* READCARD: read the deck in the reader: the header card ":READ fn ft" names the file, the
* other cards (trailing blanks dropped) are its records, up to the end of file. A file of the
* same name is replaced.
c_readc: NEEDDISK
        CALL  rdcard
        LTR   R0,R0
        JZ    rd1
        CHI   R0,1
        JNE   ioerror
        ERROR m_nocards, 8
rd1:    LA    R1,CARDBUF
        LHI   R2,80
        CALL  tokenize
        L     R0,plist
        C     R0,=C':REA'
        JNE   nohdr
        L     R0,plist+4
        C     R0,=C'D   '
        JNE   nohdr
        NEEDARGS 3
        LM    R0,R3,plist+8
        STM   R0,R3,names
        LA    R1,names
        CALL  lookup
        JZ    rd2
        CALL  ferase                ; replaced (flushed with the new file)
rd2:    CALL  fopenw
        XR    R10,R10
rd3:    CALL  rdcard
        LTR   R0,R0
        JNZ   rd6
        LHI   R2,80                 ; drop trailing blanks
rd4:    LTR   R2,R2
        JZ    rd5
        LR    R3,R2
        LLC   R0,CARDBUF-1(R3)
        CHI   R0,' '
        JNE   rd5
        AHI   R2,-1
        J     rd4
rd5:    LA    R1,CARDBUF
        CALL  fputrec
        AHI   R10,1
        J     rd3
rd6:    CHI   R0,1
        JNE   ioerror
        LA    R1,names
        CALL  fclosew
        LA    R1,OUTBUF
        OUT   m_recv
        LA    R2,names
        CALL  putname
        OUT   m_blank
        LA    R2,names+8
        CALL  putname
        OUT   m_comma
        LR    R0,R10
        CALL  putdec
        OUT   m_recs
        CALL  outline
        J     cmdok
nohdr:  ERROR m_nohdr, 32

* RUN fn ft: load the program in the file at USERAREA and call it (BALR R14,R15, with R15 and
* R12 = USERAREA); its R15 is the return code. The file holds hexadecimal words (1-8 digits)
* separated by blanks; lines starting with '*' are comments.
c_run:  NEEDDISK
        NEEDARGS 3
        LA    R1,plist+8
        CALL  lookup
        JZ    notfound
        CALL  fopenr
        LI    R7,USERAREA           ; R7: where the next word goes
ru1:    CALL  fgetrec
        LTR   R2,R2
        JM    ru9
        XR    R8,R8                 ; R8: digits of the word so far, R9: its value
        XR    R9,R9
        LTR   R2,R2
        JZ    ru1
        CLI   0(R1),'*'
        JE    ru1
ru2:    LTR   R2,R2
        JZ    ru7
        LLC   R0,0(R1)
        LA    R1,1(R1)
        AHI   R2,-1
        CHI   R0,' '
        JE    ru6
        CHI   R0,'a'                ; lower case hex digits too
        JL    ru3
        AHI   R0,'A'-'a'
ru3:    CHI   R0,'0'
        JL    badhex
        CHI   R0,'9'
        JH    ru4
        AHI   R0,-'0'
        J     ru5
ru4:    CHI   R0,'A'
        JL    badhex
        CHI   R0,'F'
        JH    badhex
        AHI   R0,10-'A'
ru5:    SLL   R9,4
        OR    R9,R0
        AHI   R8,1
        CHI   R8,8
        JH    badhex
        J     ru2
ru6:    BRAS  R10,ruword
        J     ru2
ru7:    BRAS  R10,ruword
        J     ru1
ru9:    LI    R15,USERAREA
        LR    R12,R15
        BALR  R14,R15               ; the program runs
        J     cmdret
* RUWORD: store the word in R9 (if R8 digits were seen) at R7. Return by R10.
ruword: LTR   R8,R8
        BZR   R10
        C     R7,=USERAREA+USERSIZE
        JNL   toobig
        ST    R9,0(R7)
        LA    R7,4(R7)
        XR    R8,R8
        XR    R9,R9
        BR    R10
badhex: ERROR m_badhex, 32
toobig: ERROR m_toobig, 32

* CP text: give the rest of the line to CP (DIAGNOSE X'08').
c_cp:   NEEDARGS 2
        L     R0,tokoff+4
        LA    R1,INBUF
        AR    R1,R0
        L     R2,inlen
        SR    R2,R0
        CALL  cpcmd
        LR    R15,R2
        LTR   R15,R15
        JNM   cmdret
        ERROR m_nocp, 1

* HELP: the commands.
c_help: TYPEMSG m_help
        J     cmdok

* LOGOFF: end the session (a disabled wait with code 0: CP reports the VM's end).
c_logoff:
        TYPEMSG m_logoff
        EXIT  0

* ---- Messages ----
        MSG   m_hello, "TINYCMS 1.0: A TOY CMS FOR TINYCP"
        MSG   m_nodisk, "A-DISK 191 NOT ATTACHED"
        MSG   m_unform, "A-DISK 191 IS NOT FORMATTED; USE FORMAT"
        MSG   m_adisk, "A (191) R/W, FILES: "
        MSG   m_ready, "Ready"
        MSG   m_unknown, "UNKNOWN CP/CMS COMMAND: "
        MSG   m_notform, "A-DISK NOT FORMATTED; USE FORMAT"
        MSG   m_badargs, "INVALID OR MISSING OPERANDS"
        MSG   m_notfound, "FILE NOT FOUND"
        MSG   m_exists, "FILE ALREADY EXISTS"
        MSG   m_ioerr, "DISK I/O ERROR"
        MSG   m_abend, "DMSABN: PROGRAM CHECK X'"
        MSG   m_at, "' AT X'"
        MSG   m_full, "DISK FULL"
        MSG   m_dirfull, "DIRECTORY FULL"
        MSG   m_fmt, "FORMAT: A-DISK 191 FORMATTED, "
        MSG   m_blocks, " BLOCKS"
        MSG   m_listhdr, "FILENAME FILETYPE FM   RECS BLOCKS"
        MSG   m_a1, " A1"
        MSG   m_input, "INPUT:"
        MSG   m_spool, "SPOOL PUNCH TO "
        MSG   m_close, "CLOSE PUNCH"
        MSG   m_rdhdr, ":READ "
        MSG   m_punched, "PUNCH: "
        MSG   m_cardsto, " CARDS TO "
        MSG   m_nocards, "NO CARDS IN READER"
        MSG   m_nohdr, "NO :READ CARD IN FRONT OF THE DECK"
        MSG   m_recv, "READCARD: "
        MSG   m_comma, ", "
        MSG   m_recs, " RECORDS"
        MSG   m_badhex, "INVALID HEXADECIMAL WORD IN THE PROGRAM FILE"
        MSG   m_toobig, "PROGRAM TOO LARGE"
        MSG   m_nocp, "CP NOT AVAILABLE"
        MSG   m_help, "COMMANDS: FORMAT LISTFILE TYPE CREATE COPYFILE ERASE PUNCH READCARD RUN CP HELP LOGOFF"
        MSG   m_logoff, "LOGOFF: CMS ENDS"
        MSG   m_blank, " "
        .align 4
