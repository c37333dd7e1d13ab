* pgm_segment.s - segment-translation exception (PoO 5.3, code X'10'; PoO 6.1): a virtual address
* whose segment is beyond the segment-table length or whose STE is invalid. Nullifying: the old
* PSW points AT the instruction (for an instruction fetch: at the branch target), and the failing
* virtual address is stored at LC_TRANS_ADDR. LRA reports the same condition as CC 1 instead.
        .include "tinycp.inc"
        .include "testlib.inc"
        TESTINIT
        .macro SEG label, resume, fail
        EXPECT PGM_SEGMENT, \label, \resume, \fail, PSW_DAT
        .endm
start:  DATINIT segtab, pagetab
        LUH   R1,0x0010               ; X'100000': segment 1, beyond STL 0
        LHI   R2,5
        DATON
        SEG   s1,n1,10
s1:     L     R2,0(R1)
        FAIL  1
n1:     CHKR  R2,5,2                  ; nullified: R2 unchanged
        CHKM  LC_TRANS_ADDR,0x100000,3
* STL 1 with an invalid STE 1
        LHI   R3,STE_INVALID
        ST    R3,segtab+4
        LA    R3,segtab+1             ; STO | STL 1
        ST    R3,cr1
        LCTL  R1,R1,cr1
        DATON
        LUH   R4,0x001F
        OIL   R4,0xFFF0
        SEG   s2,n2,20
s2:     ST    R2,8(R4)                ; X'1FFFF8'
        FAIL  4
n2:     CHKM  LC_TRANS_ADDR,0x1FFFF8,5
        DATON
        LRA   R5,0(R4)
        CHKCC 1,6
        LRA   R5,0(R1)
        CHKCC 1,7
        LRA   R5,0x1234               ; segment 0 is fine
        CHKCC 0,8
        CHKR  R5,0x1234,9
* instruction fetch from an unmapped segment: the old PSW points at the target
        EXPECT PGM_SEGMENT, 0x100000, n3, 30, PSW_DAT
        BR    R1
n3:     CHKM  LC_TRANS_ADDR,0x100000,10
        TRAPPED 3,11
        PASS
        .align 8
cr1:    .word 0
        .org  0x1000
segtab: .space 64
pagetab: .space 1024
