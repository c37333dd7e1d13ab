* dat.s - dynamic address translation (PoO 6): segment and page tables built by the program, CR1
* loaded with LCTL, DAT turned on by LPSW and by STOSM, a page remapped to another frame, LRA
* (CC 0 with the real address, CC 2 invalid page, CC 1 invalid segment), PTLB after changing a
* PTE, and a new CR1 (another address space) taking effect.
        .include "tinycp.inc"
        .include "testlib.inc"
        TESTINIT
start:  DATINIT segtab, pagetab
        LHI   R1,0x5000               ; virtual page 3 -> frame 5
        ST    R1,pagetab+3*4
        LHI   R1,PTE_INVALID
        ST    R1,pagetab+4*4          ; virtual page 4 invalid
        LPSW  daton                   ; DAT on by LPSW
von:    L     R2,0x3004
        CHKR  R2,0xAAAA5004,1
        LRA   R3,0x3010
        CHKCC 0,2
        CHKR  R3,0x5010,3
        LRA   R3,0x4000
        CHKCC 2,4
        LUH   R4,0x0010
        LRA   R3,0(R4)                ; segment 1: beyond the table
        CHKCC 1,5
        L     R2,0x5004               ; page 5 is still identity mapped
        CHKR  R2,0xAAAA5004,6
* remap page 3 to frame 6 and purge the TLB
        LHI   R1,0x6000
        ST    R1,pagetab+3*4
        PTLB
        L     R2,0x3004
        CHKR  R2,0xAAAA6004,7
        LHI   R5,55
        ST    R5,0x3008               ; lands in frame 6
        DATOFF
        CHKM  0x6008,55,8
        CHKM  0x3008,0,9
* a second address space: page 3 -> frame 5 again; a new CR1 takes effect at once
        DATINIT segtab2, pagetab2
        LHI   R1,0x5000
        ST    R1,pagetab2+3*4
        DATON
        L     R2,0x3004
        CHKR  R2,0xAAAA5004,10
        STCTL R1,R1,cr1
        CHKM  cr1,segtab2,11
        DATOFF
        PASS
        .align 8
daton:  .psw  PSW_DAT, von
cr1:    .word 0
        .ltorg
        .org  0x1000
segtab: .space 64
pagetab: .space 1024
segtab2: .space 64
pagetab2: .space 1024
        .org  0x3000
        .word 0xAAAA3000,0xAAAA3004,0,0
        .org  0x5000
        .word 0xAAAA5000,0xAAAA5004
        .org  0x6000
        .word 0xAAAA6000,0xAAAA6004
