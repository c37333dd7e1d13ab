* tlbmiss.s - OSTEP's TLB-miss flow (appendix B, "Virtual Machine Monitors") on a machine whose
* TLB is filled from page tables: a guest OS demand-pages its user program, and CP keeps a shadow
* table (the real TLB while the VM runs) beneath it. Run it with:
*     tinycp run --vm --trace programs/tlbmiss.s
* and read the trace: the user's load misses in the shadow table; CP walks the guest's own table,
* finds the page invalid and reflects the page fault to the guest OS; the OS maps the page and
* purges its TLB (PTLB: trapped, CP purges the shadow); it returns with LPSW (trapped, emulated);
* the load is retried, misses in the shadow again, and this time CP finds a valid guest mapping,
* copies it into the shadow table and retries: a hit. On the bare machine the same program runs
* with the real TLB doing what the shadow table does, and ends the same way.
        .include "tinycp.inc"
        .org  0
        .psw  0, start
        .org  LC_PROGRAM_NEW
        .psw  0, pfault                ; the guest OS's page-fault handler (DAT off, supervisor)
        .org  LC_SVC_NEW
        .psw  0, sysexit

DATA  = 0x20000                       ; the user's data page (virtual = real), invalid at first
        .org  0x200
start:  LA    R1,segtab
        ST    R1,cr1
        LCTL  1,1,cr1                 ; CR1: the segment table, one segment
        LA    R1,pagetab
        ST    R1,segtab               ; segment 0 -> the page table
        LHI   R2,0                    ; identity-map pages 0-31 ...
        LA    R3,pagetab
        LHI   R4,32
map:    ST    R2,0(R3)
        AHI   R2,0x1000
        LA    R3,4(R3)
        BRCT  R4,map
        LHI   R2,PTE_INVALID          ; ... except the data page: not there yet
        ST    R2,pagetab+(DATA>>12)*4
        LI    R1,DATA+8
        LHI   R2,42
        ST    R2,0(R1)                ; the data the user will read, at real DATA+8
        LPSW  user                    ; enter the user program: problem state, DAT on

* The user program: one load from the data page, then a system call to end.
uprog:  LI    R5,DATA
        L     R6,8(R5)                ; TLB miss, page fault, then (retried) a hit
        SVC   0

* The OS's page-fault handler: map the faulting page, purge the TLB, retry the instruction.
pfault: L     R1,LC_PGM_CODE
        CHI   R1,PGM_PAGE
        JNE   bad
        L     R1,LC_TRANS_ADDR        ; the failing virtual address
        SRL   R1,12
        SLL   R1,2                    ; its page-table entry offset
        LA    R1,pagetab(R1)
        LI    R2,DATA                 ; frame = page (identity)
        ST    R2,0(R1)
        PTLB
        LPSW  LC_PROGRAM_OLD          ; the old PSW points at the load: it is retried

sysexit: CHI  R6,42                   ; the user read what the OS put there
        JNE   bad
        EXIT
bad:    EXIT  4

        .align 8
user:   .psw  PSW_PROBLEM|PSW_DAT, uprog
cr1:    .word 0
        .align 64
segtab: .word STE_INVALID             ; filled in at start
        .align 1024
pagetab: .space 1024
