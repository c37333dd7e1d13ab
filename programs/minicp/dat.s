* dat.s - the guest's storage, confined by DAT; the guest's own DAT, by shadow tables.
*
* Two sets of real translation tables (PoO 6.1), one of which is in CR1 while the guest runs:
*
*  - guest-real tables (GRSEGTAB): guest-real page p -> real page GUEST_BASE + p, built once
*    at boot for the guest's size. A guest with DAT off runs through these, so its "real"
*    addresses are relocated and cannot reach minicp. An address beyond its storage finds an
*    invalid entry: minicp turns that translation exception into the addressing exception the
*    bare machine gives (PoO 3.3).
*  - shadow tables (SHSEGTAB): guest-virtual page -> real page, the composition of the guest's
*    own tables (in guest storage, through the virtual CR1) with the guest-real mapping. They
*    start empty; each miss comes here as a translation exception, minicp walks the guest's
*    tables as the CPU would (gwalk, PoO 6.1) and either fills the shadow entry and retries the
*    instruction, invisibly, or reflects the guest's own exception. The shadow table is the
*    guest's TLB, and is purged when the guest's TLB would be (PTLB, a new CR1: PoO 6.3).
*    CP does the same in TypeScript (PoO 10.6).

* grtables: build the guest-real tables for gsize bytes. Link R14.
grtables: LA  R2,GRSEGTAB
        LI    R3,GRPAGETAB
        LHI   R4,0                    ; R4 = guest-real address of the current page
        LHI   R6,MAXSEG
gt_seg: C     R4,gsize
        JL    gt_sv
        LHI   R0,STE_INVALID          ; no storage in this segment
        ST    R0,0(R2)
        AL    R4,=0x100000
        AHI   R3,1024
        J     gt_next
gt_sv:  ST    R3,0(R2)                ; STE: the page table's origin, valid
        LHI   R7,256
gt_pg:  LHI   R0,PTE_INVALID
        C     R4,gsize
        JNL   gt_ps
        LR    R0,R4
        GUEST R0                      ; PTE: the real frame
gt_ps:  ST    R0,0(R3)
        AHI   R3,4
        AHI   R4,4096
        BRCT  R7,gt_pg
gt_next: AHI  R2,4
        BRCT  R6,gt_seg
        BR    R14

* shpurge: empty the shadow table (every segment invalid) and, if it is in use, the real TLB
* that caches it. Link R14.
shpurge: LA   R2,SHSEGTAB
        LHI   R3,MAXSEG
        LHI   R0,STE_INVALID
shp1:   ST    R0,0(R2)
        AHI   R2,4
        BRCT  R3,shp1
        L     R0,curcr1
        C     R0,shcr1
        BNER  R14
        PTLB                          ; privileged: minicp's host sees this one too
        BR    R14

* gwalk: translate the guest-virtual address in R2 through the guest's own tables (virtual
* CR1, tables in guest-real storage), exactly as PoO 6.1 walks them. Out: R1 = 0 and R2 = the
* guest-real address, R3 = the page's protection bit; or R1 = 1 segment-translation exception,
* 2 page-translation exception, 3 addressing exception. Uses R0-R3 only. Link R12.
gwalk:  N     R2,=0xFFFFFF
        LR    R1,R2
        SRL   R1,20                   ; segment index
        L     R0,vcr+4
        N     R0,=CR1_STL
        CR    R1,R0
        JH    gw_seg                  ; beyond the segment table
        SLL   R1,2
        L     R0,vcr+4
        N     R0,=CR1_STO
        AR    R1,R0                   ; the segment-table entry's guest-real address
        C     R1,gsize
        JNL   gw_addr
        GUEST R1
        L     R1,0(R1)
        LR    R0,R1
        N     R0,=STE_INVALID
        JNZ   gw_seg
        N     R1,=STE_PTO
        LR    R0,R2
        SRL   R0,12
        N     R0,=0xFF                ; page index
        SLL   R0,2
        AR    R1,R0                   ; the page-table entry's guest-real address
        C     R1,gsize
        JNL   gw_addr
        GUEST R1
        L     R1,0(R1)
        LR    R0,R1
        N     R0,=PTE_INVALID
        JNZ   gw_page
        LR    R3,R1
        N     R3,=PTE_PROTECT
        N     R1,=PTE_PFRA
        C     R1,gsize
        JNL   gw_addr                 ; a frame beyond the guest's storage
        N     R2,=0xFFF
        OR    R2,R1
        LHI   R1,0
        BR    R12
gw_seg: LHI   R1,1
        BR    R12
gw_page: LHI  R1,2
        BR    R12
gw_addr: LHI  R1,3
        BR    R12

* xlate_fault: a segment- or page-translation exception in minicp's tables (trap.s).
xlate_fault: L R8,LC_TRANS_ADDR       ; the address the guest used
        TM    vpsw,PSW_DAT>>24
        JNZ   xf_shadow
* Guest DAT off: it used a guest-real address beyond its storage. Bare, that is an addressing
* exception, suppressed (old PSW after the instruction); on an instruction fetch the address
* goes to X'90' (PoO 3.3, 5.3.3). The real exception nullified: the PSW is at the instruction.
        L     R1,vpsw+4
        CR    R1,R8
        JNE   xf_op
        L     R4,=GUEST_BASE
        ST    R8,LC_TRANS_ADDR(R4)
xf_op:  AHI   R1,4
        N     R1,=0xFFFFFF
        ST    R1,vpsw+4
        LHI   R3,PGM_ADDRESSING
        J     pgm_reflect
* Guest DAT on: a miss in the shadow table. Walk the guest's tables.
xf_shadow: LR R2,R8
        BRAS  R12,gwalk
        LTR   R1,R1
        JNZ   xf_guest
        BRAS  R12,shfill
        L     R1,stat_fills
        AHI   R1,1
        ST    R1,stat_fills
        LHI   R1,3
        ST    R1,ev_act
* The real CPU counted the faulting try as an instruction; the bare machine's TLB miss costs
* nothing (PoO 6.2). Take it back from the guest's time, and retry.
        LM    R4,R5,vnow
        LHI   R6,0
        LHI   R7,1
        SUB64 R4,R5,R6,R7
        STM   R4,R5,vnow
        J     resume
* shfill: copy one translation into the shadow table: R8 = the guest-virtual address, R2 = its
* guest-real address, R3 = the guest's protection bit. An empty shadow segment gets a page
* table of invalid entries first. Uses R0-R3, R9. Link R12.
shfill: N     R2,=PTE_PFRA
        GUEST R2
        OR    R2,R3
        ST    R2,fillpte              ; the shadow PTE: real frame, the guest's protection
        LR    R1,R8
        SRL   R1,20
        SLL   R1,2                    ; segment index * 4
        LA    R3,SHSEGTAB(R1)
        L     R2,0(R3)
        LR    R0,R2
        N     R0,=STE_INVALID
        JZ    shf_pt
        LR    R2,R1                   ; first use of this shadow segment since a purge: its
        SLL   R2,8                    ; page table (SHPAGETAB + 1 KiB * index), emptied
        AL    R2,=SHPAGETAB
        ST    R2,0(R3)
        LHI   R1,256
        LHI   R0,PTE_INVALID
        LR    R9,R2
shf_clr: ST   R0,0(R9)
        AHI   R9,4
        BRCT  R1,shf_clr
shf_pt: N     R2,=STE_PTO
        LR    R1,R8
        SRL   R1,12
        N     R1,=0xFF
        SLL   R1,2
        AR    R2,R1
        L     R0,fillpte
        ST    R0,0(R2)
        BR    R12

* The guest's own tables say no: reflect its exception, with its failing address.
xf_guest: L   R4,=GUEST_BASE
        ST    R8,LC_TRANS_ADDR(R4)
        LHI   R3,PGM_SEGMENT
        CHI   R1,1
        JE    pgm_reflect             ; nullified: the old PSW is at the instruction (PoO 5.3.2)
        LHI   R3,PGM_PAGE
        CHI   R1,2
        JE    pgm_reflect
        L     R1,vpsw+4               ; addressing: suppressed, after the instruction
        AHI   R1,4
        N     R1,=0xFFFFFF
        ST    R1,vpsw+4
        LHI   R3,PGM_ADDRESSING
        J     pgm_reflect

* xop: the real address of an emulated instruction's operand. R2 = the guest address (virtual
* or guest-real, as the guest's DAT bit says), R3 = 1 for a store (protection applies, PoO 6.2).
* Out: R2 = real address. On an access exception it reflects it and does not come back.
* Uses R0-R3, R8, R9. Link R13.
xop:    N     R2,=0xFFFFFF
        TM    vpsw,PSW_DAT>>24
        JNZ   xo_dat
        C     R2,gsize
        JNL   xo_addr
        GUEST R2
        BR    R13
xo_addr: LHI  R3,PGM_ADDRESSING       ; DAT off: no failing address stored (PoO 5.3.3)
        J     pgm_reflect
xo_dat: LR    R8,R2
        LR    R9,R3
* The shadow table is the guest's TLB: a translation it holds is used as the CPU would use its
* TLB entry (PoO 6.2), even if the guest has since changed its tables without purging.
        LR    R1,R8
        SRL   R1,20
        SLL   R1,2
        L     R1,SHSEGTAB(R1)
        LR    R0,R1
        N     R0,=STE_INVALID
        JNZ   xo_walk
        N     R1,=STE_PTO
        LR    R0,R8
        SRL   R0,12
        N     R0,=0xFF
        SLL   R0,2
        AR    R1,R0
        L     R1,0(R1)                ; the shadow PTE
        LR    R0,R1
        N     R0,=PTE_INVALID
        JNZ   xo_walk
        LR    R3,R1
        N     R3,=PTE_PROTECT
        LTR   R9,R9
        JZ    xo_hit
        LTR   R3,R3
        JNZ   xo_prot
xo_hit: N     R1,=PTE_PFRA
        LR    R2,R8
        N     R2,=0xFFF
        OR    R2,R1                   ; the real address, directly
        BR    R13
xo_walk: LR   R2,R8
        BRAS  R12,gwalk
        LTR   R1,R1
        JNZ   xo_fail
        LTR   R9,R9
        JZ    xo_ok
        LTR   R3,R3
        JZ    xo_ok
xo_prot: L    R4,=GUEST_BASE          ; a store into a protected page: suppressed
        ST    R8,LC_TRANS_ADDR(R4)
        LHI   R3,PGM_PROTECTION
        J     pgm_reflect
xo_ok:  ST    R2,xopgr                ; as the TLB would be (PoO 6.2), the shadow table is filled
        BRAS  R12,shfill              ; by this translation too (PoO 10.6)
        L     R2,xopgr
        GUEST R2
        BR    R13
xo_fail: CHI  R1,3
        JNE   xo_xl
        L     R4,=GUEST_BASE          ; addressing: suppressed, and the PSW already points
        ST    R8,LC_TRANS_ADDR(R4)    ; after the instruction
        LHI   R3,PGM_ADDRESSING
        J     pgm_reflect
xo_xl:
        L     R0,vpsw+4               ; translation: nullified, back to the instruction
        AHI   R0,-4
        N     R0,=0xFFFFFF
        ST    R0,vpsw+4
        J     xf_guest
