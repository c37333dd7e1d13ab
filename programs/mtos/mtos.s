* mtos.s - MTOS, a small multitasking operating system for tinycp.
*
* Four tasks share the CPU by timer-driven preemptive round robin: every dispatch sets the CPU
* timer (SPT) to one slice, and its external interruption sends the running task to the back of
* the queue. Each task runs in problem state with DAT on, in its own address space: the kernel
* builds a segment table per task and loads it into CR1 at each switch (a new CR1 purges the TLB
* on this machine; under CP it purges the shadow table). Segment 0 maps the task code read-only
* at its real address, segment 1 holds the task's private pages, allocated on the first touch by
* the page-fault handler. Tasks ask for services with SVC (mtos.inc). Console output is a real
* channel program: the writing task blocks until the console's I/O interruption, and the others
* run meanwhile. The kernel itself runs in supervisor state, DAT off, all interruptions disabled,
* except in its wait states. When every task has ended it prints a summary and stops with EXIT
* (code 0 when each task ended the way the test expects: tasks 1-3 exit 0, task 4 abends).
*
* The same image runs bare and under CP with the same console output: `tinycp run mtos.s [--vm]`.
        .include "tinycp.inc"
        .include "mtos.inc"

CONSOLE = DEV_CONSOLE

* ---- Interruption new PSWs (PoO 5.1): supervisor state, DAT off, disabled ----
        .org  0
        .psw  0, boot
        .org  LC_EXTERNAL_NEW
        .psw  0, extint
        .psw  0, svcint             ; LC_SVC_NEW
        .psw  0, pgmint             ; LC_PROGRAM_NEW
        .psw  0, mckint             ; LC_MCHECK_NEW
        .psw  0, ioint              ; LC_IO_NEW

* ---- Kernel data: below X'1000', so SI, RS and S instructions reach it with no base ----
        .org  0x200
scratch:  .space 64                 ; registers of the interrupted task, before they reach its TCB
syncsave: .space 64                 ; kernel registers during a synchronous console wait
          .align 8
disppsw:  .psw  0, 0                ; the PSW the dispatcher loads
waitidle: .psw  PSW_IO|PSW_WAIT, 0  ; nothing to run: wait for a console interruption
waitsync: .psw  PSW_IO|PSW_WAIT, 0  ; the kernel waits for its own console line
slice:    .word 0, SLICE_LEN        ; CPU timer value for one time slice
conccw:   .ccw  CMD_WRITE, 0, 0, 1  ; the console channel program (address and count set per line)
curtask:  .word 0                   ; TCB of the running task, 0 when the kernel idles
lastidx:  .word NTASKS-1            ; index of the task dispatched last (round-robin position)
conowner: .word 0                   ; TCB whose line is on the console, 0 = none or the kernel's
nextfrm:  .word FRAMES              ; next free page frame
memtop:   .word 0                   ; storage size (DIAGNOSE X'0C')
oswr14:   .word 0
ndisp:    .word 0                   ; statistics for the summary
nticks:   .word 0
nsvc:     .word 0
nfaults:  .word 0
conbusy:  .byte 0                   ; a console channel program is running
syncwt:   .byte 0                   ; the kernel is in its synchronous console wait
          .align 4
osline:   .space 100                ; the kernel's own console line
          .align 64
tcbs:     .space NTASKS*TCB_SIZE
kdata_end = *
        .if   kdata_end > 0x1000
        .error "kernel data must stay below X'1000'"
        .endif

        .org  0x1000
* =============================================================================================
* Boot: build the address spaces and the task control blocks, then dispatch task 1.
* =============================================================================================
boot:   DIAG  R2,R0,DIAG_STORAGE_SIZE
        ST    R2,memtop
* Every page-table entry invalid at first (code table + one private table per task).
        LI    R2,CODEPT
        LHI   R3,(NTASKS+1)*256
        LHI   R0,PTE_INVALID
b1:     ST    R0,0(R2)
        LA    R2,4(R2)
        BRCT  R3,b1
* Segment 0: the task pages, read-only (PTE_PROTECT), virtual = real. The kernel, low storage
* and the tables stay unmapped, so no task can reach them.
        LI    R2,TASKLO
b2:     LR    R0,R2
        OIL   R0,PTE_PROTECT
        LR    R3,R2
        SRL   R3,PAGE_SHIFT-2       ; page number * 4
        ST    R0,CODEPT(R3)
        AHI   R2,PAGE_SIZE
        C     R2,=TASKHI
        JL    b2
* One TCB, segment table and private page table per task. R5 = index, R12 -> TCB.
        XR    R5,R5
        LA    R12,tcbs
b3:     LR    R0,R5
        AHI   R0,1
        ST    R0,TCB_ID(R12)
        LHI   R0,ST_READY
        ST    R0,TCB_STATE(R12)
        LR    R6,R5
        SLL   R6,10
        A     R6,=PRIVPT            ; R6 = its private page table
        ST    R6,TCB_PT(R12)
        LR    R7,R5
        SLL   R7,6
        A     R7,=SEGTABS           ; R7 = its segment table
        L     R0,=CODEPT
        ST    R0,0(R7)              ; segment 0: the shared, read-only task code
        ST    R6,4(R7)              ; segment 1: private pages
        LR    R0,R7
        OIL   R0,1                  ; segment-table length: 2 entries
        ST    R0,TCB_CR1(R12)
        LR    R3,R5
        SLL   R3,2
        LARL  R4,entries
        AR    R4,R3
        L     R0,0(R4)
        ST    R0,TCB_ENTRY(R12)
        ST    R0,TCB_PSW+4(R12)
        L     R0,=PSW_DAT|PSW_IO|PSW_EXT|PSW_PROBLEM
        ST    R0,TCB_PSW(R12)
        LARL  R4,expects
        AR    R4,R3
        L     R0,0(R4)
        ST    R0,TCB_EXPECT(R12)
        LA    R12,TCB_SIZE(R12)
        AHI   R5,1
        CHI   R5,NTASKS
        JL    b3
        LA    R1,osline             ; "MTOS: starting 4 tasks, time slice 700"
        LARL  R2,m_boot
        LHI   R3,m_boot_len
        BRAS  R14,putstr
        LHI   R0,NTASKS
        BRAS  R14,putdec
        LARL  R2,m_slice
        LHI   R3,m_slice_len
        BRAS  R14,putstr
        LHI   R0,SLICE_LEN
        BRAS  R14,putdec
        BRAS  R14,osline_out
        J     schedule

        .align 4
entries: .word task1, task2, task3, task4
expects: .word 0, 0, 0, ABEND+PGM_PROTECTION

* =============================================================================================
* The scheduler: round robin from the task after the one dispatched last.
* =============================================================================================
schedule:
        XR    R0,R0
        ST    R0,curtask
        L     R3,lastidx
        LHI   R4,NTASKS
sch1:   AHI   R3,1
        CHI   R3,NTASKS
        JL    sch2
        XR    R3,R3
sch2:   LR    R12,R3
        MHI   R12,TCB_SIZE
        LA    R12,tcbs(R12)
        L     R0,TCB_STATE(R12)
        CHI   R0,ST_READY
        JE    dispatch
        BRCT  R4,sch1
* Nothing ready: finished when every task is done, else wait for the console.
        LA    R12,tcbs
        LHI   R4,NTASKS
sch3:   L     R0,TCB_STATE(R12)
        CHI   R0,ST_DONE
        JNE   idle
        LA    R12,TCB_SIZE(R12)
        BRCT  R4,sch3
        J     finish
idle:   LPSW  waitidle              ; the I/O handler comes back to schedule

* DISPATCH: run the task of TCB R12 (index R3) for one time slice.
dispatch:
        ST    R3,lastidx
        ST    R12,curtask
        L     R0,ndisp
        AHI   R0,1
        ST    R0,ndisp
        SPT   slice
* RESUME: switch to the task of TCB R12 (its address space, PSW and registers).
resume: LCTL  1,1,TCB_CR1(R12)      ; its address space (a new CR1 purges the TLB)
        LM    R0,R1,TCB_PSW(R12)
        STM   R0,R1,disppsw
        LM    R0,R15,TCB_GPR(R12)
        LPSW  disppsw

* SAVECTX: registers from `scratch` and the old PSW at R1 into the running task's TCB (R12).
savectx:
        L     R12,curtask
        LM    R2,R3,0(R1)
        STM   R2,R3,TCB_PSW(R12)
        LM    R0,R11,scratch
        STM   R0,R11,TCB_GPR(R12)
        LM    R0,R3,scratch+48      ; R12-R15 of the task
        STM   R0,R3,TCB_GPR+48(R12)
        BR    R14

* =============================================================================================
* External interruption: the CPU timer ended the slice. The task goes to the back of the queue.
* =============================================================================================
extint: STM   R0,R15,scratch
        LA    R1,LC_EXTERNAL_OLD
        BRAS  R14,savectx
        L     R0,LC_EXT_CODE
        CHI   R0,EXT_CPU_TIMER
        JNE   resume                ; the interrupt key: ignored
        L     R0,nticks
        AHI   R0,1
        ST    R0,nticks
        J     schedule

* =============================================================================================
* Supervisor call: the task's request. Code in LC_SVC_CODE, arguments in its registers.
* =============================================================================================
svcint: STM   R0,R15,scratch
        LA    R1,LC_SVC_OLD
        BRAS  R14,savectx
        L     R0,nsvc
        AHI   R0,1
        ST    R0,nsvc
        L     R0,LC_SVC_CODE
        CHI   R0,SVC_WRITE
        JE    svwrite
        CHI   R0,SVC_YIELD
        JE    schedule
        CHI   R0,SVC_EXIT
        JE    svexit
        CHI   R0,SVC_GETID
        JE    svgetid
        AHI   R0,0x100              ; unknown SVC: abend code X'01nn'
        J     abendtask

svgetid: L    R0,TCB_ID(R12)
        ST    R0,TCB_GPR+4(R12)     ; the task's R1
        J     resume

svexit: L     R0,TCB_GPR+4(R12)
        ST    R0,TCB_RC(R12)
        LHI   R0,ST_DONE
        ST    R0,TCB_STATE(R12)
        J     schedule

* SVC_WRITE: copy the line out of the task's space into its TCB, a byte at a time through LRA
* (the task's CR1 is still loaded), queue it for the console, and run someone else meanwhile.
svwrite: L    R3,TCB_GPR+4(R12)     ; R3 = virtual address
        L     R4,TCB_GPR+8(R12)     ; R4 = length, 1..LINE_MAX
        CHI   R4,1
        JL    badlen
        CHI   R4,LINE_MAX
        JH    badlen
        ST    R4,TCB_LEN(R12)
        LA    R6,TCB_LINE(R12)
sw1:    LRA   R5,0(R3)
        JNZ   badaddr
        LLC   R0,0(R5)
        STC   R0,0(R6)
        LA    R3,1(R3)
        LA    R6,1(R6)
        BRCT  R4,sw1
        XR    R0,R0
        ST    R0,TCB_GPR+60(R12)    ; the task's R15 = 0
        LHI   R0,ST_QUEUED
        ST    R0,TCB_STATE(R12)
        BRAS  R14,kickcon
        J     schedule
badlen: LHI   R0,0x201              ; abend X'0201': bad length
        J     abendtask
badaddr: LHI  R0,0x202              ; abend X'0202': the line is not in the task's space
        J     abendtask

* =============================================================================================
* Program interruption. A page-translation exception in segment 1 is a page fault: give the
* task a fresh frame and retry. Anything else ends the task (an abend); the others go on.
* =============================================================================================
pgmint: TM    LC_PROGRAM_OLD+1,PSW_PROBLEM>>16
        JZ    kpanic                ; in the kernel itself: a kernel bug
        STM   R0,R15,scratch
        LA    R1,LC_PROGRAM_OLD
        BRAS  R14,savectx
        L     R0,LC_PGM_CODE
        CHI   R0,PGM_PAGE
        JNE   abendtask
        L     R3,LC_TRANS_ADDR
        LR    R4,R3
        SRL   R4,SEGMENT_SHIFT
        CHI   R4,1
        JNE   abendtask                 ; only segment 1 is demand-paged
        L     R5,nextfrm            ; allocate a frame
        L     R6,memtop
        CR    R5,R6
        JNL   abendtask                 ; out of storage: the task ends with the page fault
        LR    R6,R5
        AHI   R6,PAGE_SIZE
        ST    R6,nextfrm
        LR    R6,R5                 ; clear it: a task never sees another's old data
        LHI   R7,PAGE_SIZE/4
        XR    R0,R0
pf1:    ST    R0,0(R6)
        LA    R6,4(R6)
        BRCT  R7,pf1
        SRL   R3,PAGE_SHIFT         ; PTE index = page number within the segment
        SLL   R3,24
        SRL   R3,22
        A     R3,TCB_PT(R12)
        ST    R5,0(R3)              ; valid, writable: the frame's address
        L     R0,TCB_FAULTS(R12)
        AHI   R0,1
        ST    R0,TCB_FAULTS(R12)
        L     R0,nfaults
        AHI   R0,1
        ST    R0,nfaults
        J     resume                ; the faulting instruction was nullified: it runs again

* ABEND: end the task of TCB R12 with code R0 (a program-interruption code, or X'0100'+).
abendtask:  LR    R8,R0
        LA    R1,osline
        LARL  R2,m_task
        LHI   R3,m_task_len
        BRAS  R14,putstr
        L     R0,TCB_ID(R12)
        BRAS  R14,putdec
        LARL  R2,m_abend
        LHI   R3,m_abend_len
        BRAS  R14,putstr
        LR    R0,R8
        LHI   R4,4
        BRAS  R14,puthex
        LARL  R2,m_at
        LHI   R3,m_at_len
        BRAS  R14,putstr
        L     R0,TCB_PSW+4(R12)
        LHI   R4,6
        BRAS  R14,puthex
        LHI   R0,0x27               ; a quote
        STC   R0,0(R1)
        LA    R1,1(R1)
        LR    R0,R8
        OIL   R0,ABEND
        ST    R0,TCB_RC(R12)
        LHI   R0,ST_DONE
        ST    R0,TCB_STATE(R12)
        BRAS  R14,osline_out
        J     schedule

kpanic: EXIT  0xBAC
mckint: EXIT  0xBAC

        .include "mtos-io.s"
        .ltorg
        .include "mtos-tasks.s"
