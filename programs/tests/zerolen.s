* zerolen.s - an operand of length 0 accesses no storage, so it causes no addressing exception
* wherever it points (PoO 3.3): DIAGNOSE X'10' (console write) of 0 bytes at X'FFFFF0', beyond
* the 1 MiB storage, writes an empty line with CC 0; the same operand with length 1 is an
* addressing exception (suppressed: the old PSW points after the DIAGNOSE).
        .include "tinycp.inc"
        .include "testlib.inc"
        TESTINIT
start:  LI    R4,0xFFFFF0
        LHI   R5,0
        DIAG  R4,R5,DIAG_CONSOLE_WRITE
        CHKCC 0,1
        CHKR  R5,0,2
        LHI   R5,1
        EXPECT PGM_ADDRESSING, d2+4, d2ok, 10
d2:     DIAG  R4,R5,DIAG_CONSOLE_WRITE
        FAIL  3
d2ok:   TRAPPED 1,4
        PASS
