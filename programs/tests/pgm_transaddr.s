* pgm_transaddr.s - LC_TRANS_ADDR is stored only by exceptions that have a failing virtual address
* (PoO 5.3): after a page fault raised by an instruction CP emulates (STPT), a later addressing
* exception from another emulated instruction (DIAGNOSE X'10' beyond storage) must not store the
* old address again (a regression test for CP's failing-address bookkeeping).
        .include "tinycp.inc"
        .include "testlib.inc"
        TESTINIT
start:  DATINIT segtab, pagetab
        LHI   R1,PTE_INVALID
        ST    R1,pagetab+0x20*4       ; page X'20000' invalid
        DATON
        LUH   R8,2
        EXPECT PGM_PAGE, p1, n1, 10, PSW_DAT
p1:     STPT  0(R8)                   ; CP emulates it: guest page fault at X'20000'
        FAIL  2
n1:     CHKM  LC_TRANS_ADDR,0x20000,3
        LHI   R1,0
        ST    R1,LC_TRANS_ADDR        ; clear the stored address
        LUH   R2,0x10                 ; beyond storage
        LHI   R3,4
        EXPECT PGM_ADDRESSING, p2+4, n2, 20
p2:     DIAG  R2,R3,DIAG_CONSOLE_WRITE
n2:     CHKM  LC_TRANS_ADDR,0,1       ; an addressing exception stores no translation address
        TRAPPED 2,4
        PASS
        .org  0x1000
segtab: .space 64
pagetab: .space 1024
