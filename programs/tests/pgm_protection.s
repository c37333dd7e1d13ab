* pgm_protection.s - protection exception (PoO 5.3, code 4; PoO 6: the page-protection bit):
* with DAT on, a store into a page whose PTE has the protect bit is suppressed (storage
* unchanged), the failing virtual address is stored at LC_TRANS_ADDR, and the old PSW (DAT on)
* points after the instruction. Fetching from the page is allowed.
        .include "tinycp.inc"
        .include "testlib.inc"
        TESTINIT
        .macro PROT label, fail
        EXPECT PGM_PROTECTION, \label+4, 0, \fail, PSW_DAT
        .endm
PAGE = 0x5000                          ; the protected page (identity mapped)
start:  DATINIT segtab, pagetab
        L     R1,pagetab+(PAGE>>12)*4
        O     R1,=PTE_PROTECT
        ST    R1,pagetab+(PAGE>>12)*4
        LUH   R8,0
        OIL   R8,PAGE
        LHI   R2,7
        ST    R2,0(R8)                ; DAT off: no protection
        DATON
        L     R3,0(R8)                ; fetch: fine
        CHKR  R3,7,1
        LHI   R2,9
        PROT  p1,10
p1:     ST    R2,0(R8)
        CHKM  tl_trans,PAGE,2
        PROT  p2,20
p2:     STC   R2,0x11(R8)
        CHKM  tl_trans,PAGE+0x11,3
        PROT  p3,30
p3:     MVI   0x22(R8),1
        PROT  p4,40
p4:     STH   R2,0x32(R8)
        PROT  p5,50
p5:     STM   R2,R3,0xFF8(R8)
        PROT  p6,60
p6:     CS    R3,R2,0(R8)             ; equal, so it would store
        PROT  p7,70
p7:     TS    0x40(R8)
        PROT  p8,80
p8:     OI    0x50(R8),0xFF
        PROT  p9,90
p9:     STCK  0x60(R8)
        PROT  p10,100
p10:    STCTL R0,R0,0x70(R8)
        PROT  p11,110
p11:    STPT  0x80(R8)
        CHKM  tl_trans,PAGE+0x80,4
* STM straddling into the protected page from the page before: nothing is stored
        LHI   R4,-1
        LHI   R5,-1
        LA    R9,PAGE-4
        PROT  p12,120
p12:    STM   R4,R5,0(R9)
        TRAPPED 12,5
        DATOFF
        CHKM  0(R8),7,6               ; the page is untouched
        L     R1,PAGE-4
        CHI   R1,-1                   ; the word before it too
        JE    f7
        CHKM  PAGE+0x10,0,8
        CHKM  PAGE+0x20,0,9
        CHKM  PAGE+0xFF8,0,10
        PASS
f7:     FAIL  7
tl_trans = LC_TRANS_ADDR
        .org  0x1000
segtab: .space 64
pagetab: .space 1024
