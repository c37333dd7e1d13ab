* cms-fs.s - the file system on the A-disk (format: cms.inc, docs/guests.md). Included by cms.s.
* Block 0 (label and allocation map) and block 1 (directory) stay in storage (HDRBUF, DIRBUF)
* while the disk is accessed; a command changes them there and writes both back when it is
* done (`flush`), so a command that fails midway leaves the disk as it was (cmderr re-reads them).

* RDBLK / WRBLK: read or write block R2 at R3, with a SEEK and one READ or WRITE chained.
* Out: R0 = 0 when it worked. RDBLKF / WRBLKF: the same; a failure ends the command.
rdblk:  LHI   R0,CMD_READ
        J     blkio
wrblk:  LHI   R0,CMD_WRITE
blkio:  PROLOG
        ST    R2,seekarg
        SLL   R0,24
        OR    R0,R3
        ST    R0,dataccw
        LHI   R2,A_DISK
        LA    R3,seekccw
        CALL  doio
        L     R2,seekarg
        RETURN
rdblkf: PROLOG
        CALL  rdblk
        LTR   R0,R0
        JNZ   ioerror
        RETURN
wrblkf: PROLOG
        CALL  wrblk
        LTR   R0,R0
        JNZ   ioerror
        RETURN

* ACCESS: read the label and the directory; set `diskok` and `formatted`.
access: PROLOG
        MVI   diskok,0
        MVI   formatted,0
        XR    R2,R2
        LA    R3,HDRBUF
        CALL  rdblk
        L     R0,csw1
        LTR   R0,R0
        JM    ac9                   ; the disk is not there
        MVI   diskok,1
        L     R0,HDRBUF+H_MAGIC
        C     R0,=MAGIC
        JNE   ac9
        LHI   R2,1
        LA    R3,DIRBUF
        CALL  rdblk
        LTR   R0,R0
        JNZ   ac9
        MVI   formatted,1
ac9:    RETURN

* FLUSH: write the label and the directory back.
flush:  PROLOG
        XR    R2,R2
        LA    R3,HDRBUF
        CALL  wrblkf
        LHI   R2,1
        LA    R3,DIRBUF
        CALL  wrblkf
        RETURN

* FORMAT: find the disk's size (the largest power of two, up to MAXBLKS, whose last block a
* SEEK reaches), then write an empty label and directory. Out: R4 = blocks.
fsformat:
        PROLOG
        LHI   R4,MAXBLKS
ff1:    LR    R0,R4
        AHI   R0,-1
        ST    R0,seekarg
        LHI   R2,A_DISK
        LA    R3,probeccw
        CALL  doio
        LTR   R0,R0
        JZ    ff2
        SRL   R4,1
        CHI   R4,4
        JNL   ff1
        J     ioerror               ; smaller than 4 blocks: no room for files
ff2:    LA    R2,HDRBUF             ; clear both blocks
        LHI   R3,BLKSIZE/2
        XR    R0,R0
ff3:    ST    R0,0(R2)
        LA    R2,4(R2)
        BRCT  R3,ff3
        L     R0,=MAGIC
        ST    R0,HDRBUF+H_MAGIC
        ST    R4,HDRBUF+H_BLOCKS
        LHI   R0,0xC0               ; blocks 0 and 1 are in use
        STC   R0,HDRBUF+H_MAP
        CALL  flush
        MVI   formatted,1
        RETURN

* COUNTFILES: R4 = files in the directory. Uses R3, R5.
countfiles:
        LA    R3,DIRBUF
        LHI   R5,NDIRENT
        XR    R4,R4
cf1:    CLI   D_FN(R3),0
        JE    cf2
        AHI   R4,1
cf2:    LA    R3,DIRENT(R3)
        BRCT  R5,cf1
        BR    R14

* LOOKUP: find the file whose name and type (16 bytes) are at R1. Out: R3 = its directory
* entry, or 0 (condition code 0 then). Uses R0, R5.
lookup: LA    R3,DIRBUF
        LHI   R5,NDIRENT
lk1:    L     R0,D_FN(R3)
        C     R0,0(R1)
        JNE   lk2
        L     R0,D_FN+4(R3)
        C     R0,4(R1)
        JNE   lk2
        L     R0,D_FT(R3)
        C     R0,8(R1)
        JNE   lk2
        L     R0,D_FT+4(R3)
        C     R0,12(R1)
        JNE   lk2
        LTR   R3,R3
        BR    R14
lk2:    LA    R3,DIRENT(R3)
        BRCT  R5,lk1
        XR    R3,R3
        BR    R14

* BALLOC: allocate a block. Out: R2 = its number. A full disk ends the command. Uses R0, R3-R5.
balloc: LHI   R2,2                  ; blocks 0 and 1 are the label and the directory
ba1:    C     R2,HDRBUF+H_BLOCKS
        JNL   full
        LR    R3,R2
        SRL   R3,3
        LA    R3,HDRBUF+H_MAP(R3)   ; R3 -> the byte of the map
        LR    R4,R2
        SLL   R4,29
        SRL   R4,29
        LHI   R5,0x80
        SRL   R5,0(R4)              ; R5 = the bit
        LLC   R0,0(R3)
        LR    R4,R0
        NR    R4,R5
        JZ    ba2
        AHI   R2,1
        J     ba1
ba2:    OR    R0,R5
        STC   R0,0(R3)
        BR    R14
full:   ERROR m_full, 13

* BFREE: free block R2. Uses R0, R3-R5.
bfree:  LR    R3,R2
        SRL   R3,3
        LA    R3,HDRBUF+H_MAP(R3)
        LR    R4,R2
        SLL   R4,29
        SRL   R4,29
        LHI   R5,0x80
        SRL   R5,0(R4)
        X     R5,=-1
        LLC   R0,0(R3)
        NR    R0,R5
        STC   R0,0(R3)
        BR    R14

* FOPENR: start reading the file of directory entry R3.
fopenr: PROLOG
        L     R2,D_FIRST(R3)
        ST    R2,rblk
        LA    R3,RBUF
        CALL  rdblkf
        LHI   R0,B_DATA
        ST    R0,roff
        RETURN

* FGETREC: the next record. Out: R1 -> its text, R2 = its length (-1 at the end of the file).
* Uses R0, R3, R4.
fgetrec:
        PROLOG
fg1:    L     R4,roff
        CHI   R4,BLKSIZE
        JNL   fg2
        LA    R3,RBUF(R4)
        LLC   R2,0(R3)
        CHI   R2,ENDREC
        JE    fg2
        LA    R1,1(R3)
        LA    R4,1(R4)
        AR    R4,R2
        ST    R4,roff
        RETURN
fg2:    L     R2,RBUF+B_NEXT        ; on to the next block of the file
        LTR   R2,R2
        JZ    fg3
        ST    R2,rblk
        LA    R3,RBUF
        CALL  rdblkf
        LHI   R0,B_DATA
        ST    R0,roff
        J     fg1
fg3:    LHI   R2,-1
        RETURN

* FOPENW: start writing a new file.
fopenw: PROLOG
        CALL  balloc
        ST    R2,wfirst
        ST    R2,wcur
        LHI   R0,1
        ST    R0,wblks
        XR    R0,R0
        ST    R0,wrecs
        CALL  wclear
        RETURN

* WCLEAR: an empty WBUF (link 0, no records). Uses R0, R2, R3.
wclear: LA    R2,WBUF
        LHI   R3,BLKSIZE/4
        XR    R0,R0
wc1:    ST    R0,0(R2)
        LA    R2,4(R2)
        BRCT  R3,wc1
        LHI   R0,B_DATA
        ST    R0,woff
        BR    R14

* FPUTREC: append the record of R2 bytes (0-80) at R1. Uses R0-R6.
fputrec:
        PROLOG
        CHI   R2,MAXREC
        JNH   fp1
        LHI   R2,MAXREC             ; longer lines are truncated
fp1:    L     R4,woff
        LA    R4,2(R4)              ; the length byte, the text, and room for the end mark
        AR    R4,R2
        CHI   R4,BLKSIZE
        JNH   fp2
        STM   R1,R2,fpsave          ; the block is full: chain a new one
        CALL  balloc
        ST    R2,WBUF+B_NEXT
        LHI   R0,ENDREC
        L     R4,woff
        STC   R0,WBUF(R4)
        LR    R4,R2
        L     R2,wcur
        LA    R3,WBUF
        CALL  wrblkf
        ST    R4,wcur
        L     R0,wblks
        AHI   R0,1
        ST    R0,wblks
        CALL  wclear
        LM    R1,R2,fpsave
fp2:    L     R4,woff
        LA    R3,WBUF(R4)
        STC   R2,0(R3)              ; the length byte
        LA    R3,1(R3)              ; R3 -> where the text goes
        LA    R4,1(R4)
        AR    R4,R2
        ST    R4,woff
        LR    R0,R2                 ; putstr: R1 <- R2, R3 bytes
        LR    R2,R1
        LR    R1,R3
        LR    R3,R0
        CALL  putstr
        L     R0,wrecs
        AHI   R0,1
        ST    R0,wrecs
        RETURN

* FCLOSEW: end the file being written and enter it in the directory under the name and type
* at R1 (16 bytes), then write label and directory. Uses R0-R6.
fclosew:
        PROLOG
        LR    R6,R1
        LHI   R0,ENDREC
        L     R4,woff
        STC   R0,WBUF(R4)
        L     R2,wcur
        LA    R3,WBUF
        CALL  wrblkf
        LA    R3,DIRBUF             ; a free directory entry
        LHI   R5,NDIRENT
fc1:    CLI   D_FN(R3),0
        JE    fc2
        LA    R3,DIRENT(R3)
        BRCT  R5,fc1
        ERROR m_dirfull, 13
fc2:    LM    R0,R1,0(R6)
        STM   R0,R1,D_FN(R3)
        LM    R0,R1,8(R6)
        STM   R0,R1,D_FT(R3)
        L     R0,wfirst
        ST    R0,D_FIRST(R3)
        L     R0,wrecs
        ST    R0,D_RECS(R3)
        L     R0,wblks
        ST    R0,D_BLKS(R3)
        CALL  flush
        RETURN

* FERASE: free the blocks of the file of directory entry R3 and clear the entry (in storage:
* the caller flushes). Uses R0-R5, R7.
ferase: PROLOG
        LR    R7,R3
        L     R2,D_FIRST(R7)
fe1:    LA    R3,RBUF               ; follow the chain to find every block
        CALL  rdblkf
        CALL  bfree
        L     R2,RBUF+B_NEXT
        LTR   R2,R2
        JNZ   fe1
        LHI   R2,DIRENT/4
        XR    R0,R0
fe2:    ST    R0,0(R7)
        LA    R7,4(R7)
        BRCT  R2,fe2
        RETURN
