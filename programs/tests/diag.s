* diag.s - DIAGNOSE (PoO 11): IDENTIFY returns the magic 'TCP' and the nesting level (0 on the
* bare machine, 1 in a VM under CP: stored at `level` for the test harness to compare), STORAGE
* SIZE returns the storage size, CONSOLE WRITE writes one line.
        .include "tinycp.inc"
        .include "testlib.inc"
        TESTINIT
start:  LHI   R3,-1
        DIAG  R2,R3,DIAG_IDENTIFY
        CHKCC 0,1
        CHKR  R2,IDENTIFY_MAGIC,2
        ST    R3,level
        CL    R3,=1                   ; 0 or 1
        JNH   lvlok
        FAIL  3
lvlok:  LHI   R3,0                    ; keep the final registers identical bare and under CP
        DIAG  R4,R5,DIAG_STORAGE_SIZE
        CHKCC 0,5
        CHKR  R4,0x100000,6
        SAY   msg,msglen
        CHKCC 0,7
        PASS
level:  .word -1
msg:    .ascii "diag: console write"
msglen = * - msg
