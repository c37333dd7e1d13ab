* pgm_page.s - page-translation exception (PoO 5.3, code X'11'): a PTE with the invalid bit.
* Nullifying: the old PSW points AT the instruction, so a handler that makes the page valid and
* returns through the program old PSW re-executes it (demand paging). Operand and instruction
* fetch faults, with the failing virtual address at LC_TRANS_ADDR.
        .include "tinycp.inc"
        .include "testlib.inc"
        TESTINIT
VPAGE = 0x30000                        ; virtual page, invalid at first; the handler maps it to FRAME
FRAME = 0x40000
CODE  = 0x32000                        ; a page of code, invalid at first; mapped to itself
start:  DATINIT segtab, pagetab
        LA    R1,pfault
        ST    R1,LC_PROGRAM_NEW+4     ; our own page-fault handler
        LHI   R1,PTE_INVALID
        ST    R1,pagetab+(VPAGE>>12)*4
        ST    R1,pagetab+(VPAGE>>12)*4+4
        ST    R1,pagetab+(CODE>>12)*4
        LI    R1,FRAME+0x10
        LHI   R2,1234
        ST    R2,0(R1)                ; the frame holds 1234 at offset X'10'
        LUH   R8,VPAGE>>16
        DATON
        LA    R9,f1
        ST    R9,expia
        LI    R9,VPAGE+0x10
        ST    R9,expva
f1:     L     R3,0x10(R8)             ; faults once, then reads the frame
        CHKR  R3,1234,1
        CHKM  faults,1,2
        L     R3,0x10(R8)             ; mapped now: no fault
        CHKM  faults,1,3
* a store that faults on the second page (VPAGE + X'1000'), retried after the fix
        LA    R9,f2
        ST    R9,expia
        LI    R9,VPAGE+0x1000
        ST    R9,expva
        LHI   R4,77
f2:     ST    R4,0x1000(R8)
        CHKM  faults,2,4
        DATOFF
        LI    R9,FRAME+0x1000
        CHKM  0(R9),77,5              ; (the second page maps to FRAME + X'1000')
        DATON
* an instruction fetch fault: the old PSW points at the target
        LI    R9,CODE
        ST    R9,expia
        ST    R9,expva
        LHI   R5,0
        LI    R11,sub
        BALR  R10,R11                 ; faults at CODE, then runs sub
        CHKR  R5,42,6
        CHKM  faults,3,7
        PASS

* The page-fault handler: check the interruption, map the page, re-execute.
pfault: L     R15,LC_PGM_CODE
        CHI   R15,PGM_PAGE
        JNE   pf1
        L     R15,LC_PROGRAM_OLD+4
        C     R15,expia
        JNE   pf2
        L     R15,LC_TRANS_ADDR
        C     R15,expva
        JNE   pf3
        L     R15,LC_PROGRAM_OLD
        N     R15,=~PSW_CC            ; (CC ignored: bits 18-19)
        C     R15,=PSW_DAT
        JNE   pf4
        L     R15,faults
        AHI   R15,1
        ST    R15,faults
        L     R15,LC_TRANS_ADDR       ; map: the code page to itself, data pages to FRAME...
        SRL   R15,12
        SLL   R15,2                   ; PTE offset
        ST    R14,save14
        L     R14,LC_TRANS_ADDR
        SRL   R14,12
        SLL   R14,12
        C     R14,=CODE
        JE    pf5
        A     R14,=FRAME-VPAGE
pf5:    ST    R14,pagetab(R15)
        L     R14,save14
        LPSW  LC_PROGRAM_OLD          ; back to the faulting instruction
pf1:    FAIL  11
pf2:    FAIL  12
pf3:    FAIL  13
pf4:    FAIL  14
        .align 8
expia:  .word 0
expva:  .word 0
faults: .word 0
save14: .word 0
        .ltorg
        .org  0x1000
segtab: .space 64
pagetab: .space 1024
        .org  CODE
sub:    LHI   R5,42
        BR    R10
