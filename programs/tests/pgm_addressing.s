* pgm_addressing.s - addressing exception (PoO 5.3, code 5): an operand or instruction beyond the
* end of storage (1 MiB here; DIAGNOSE X'0C' says so). Suppressing: no register or byte changes,
* and multi-word operands (LM, STM) are checked whole before anything moves. The old PSW points
* after the instruction (for an instruction fetch: after the instruction that could not be fetched).
        .include "tinycp.inc"
        .include "testlib.inc"
        TESTINIT
        .macro ADDR label, fail
        EXPECT PGM_ADDRESSING, \label+4, 0, \fail
        .endm
start:  DIAG  R6,R7,DIAG_STORAGE_SIZE
        CHKR  R6,0x100000,1
        LR    R1,R6                   ; R1 = the first address beyond storage
        LR    R9,R6
        AHI   R9,-4                   ; R9 = the last word
        LHI   R2,-1
        ST    R2,0(R9)                ; the last word is fine
        CHKM  0(R9),-1,2
        LHI   R2,7
        ADDR  a1,10
a1:     L     R2,0(R1)
        CHKR  R2,7,3
        ADDR  a2,20
a2:     ST    R2,0(R1)
        ADDR  a3,30
a3:     IC    R2,0(R1)
        ADDR  a4,40
a4:     MVI   0(R1),1
        ADDR  a5,50
a5:     LM    R2,R3,0(R9)             ; the second word is beyond: nothing loaded
        CHKR  R2,7,4
        LHI   R3,0
        ADDR  a6,60
a6:     STM   R2,R3,0(R9)             ; nothing stored, not even the first word
        CHKM  0(R9),-1,5
        ADDR  a7,70
a7:     CS    R2,R3,0(R1)
        ADDR  a8,80
a8:     LPSW  0(R1)
        LA    R4,1
        ADDR  a9,90
a9:     DIAG  R9,R4,DIAG_CONSOLE_WRITE ; 1 byte from the last word: fine...
        TRAPPED 8,6                   ; ...so only 8 so far
        DISARM
        LA    R4,5
        ADDR  a10,100
a10:    DIAG  R9,R4,DIAG_CONSOLE_WRITE ; 5 bytes: one beyond
        LUH   R5,0x00FF
        OIL   R5,0xFFFC
        ADDR  a11,110
a11:    L     R2,0(R5)                ; the highest address
* instruction fetch beyond storage: branch there
        EXPECT PGM_ADDRESSING, 0x100004, n12, 120
        BR    R1
n12:    TRAPPED 11,7
        PASS
