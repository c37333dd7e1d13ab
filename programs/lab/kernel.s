* kernel.s - the lab kernel: a small multitasking kernel grown from MTOS (programs/mtos), in
* which each service (services.s) is a task in problem state with DAT on, in an address space of
* its own. It is both the "VM" model's guest kernel (NTASKS = 1: one copy per VM under CP) and
* the "container" model's shared kernel (NTASKS = N in one VM). What makes a task a container:
*   - namespaces: a task names only its own files (file n of task k is kernel storage no other
*     task can name) and its console lines carry its id, so each sees only its own console;
*   - a storage quota: at most QUOTA private pages, given on the first touch (page fault);
*   - CPU shares (QOS = 1): every dispatch sets the CPU timer (SPT, PoO 4.5.3) to SLICE times the
*     task's share, and a task that puts CONQ lines in one slice goes to the back of the queue.
*     With QOS = 0 the kernel dispatches cooperatively: a task runs until it yields or exits.
* LEAK_MAX > 0 makes the kernel age: every system call keeps a word in a table that is never
* freed; when the table is full the kernel stops with wait code X'A6C' (the aging experiment).
* A program check in the kernel itself stops it with X'BAC': every task goes down with it.
* The generated top-level source (src/lab/build.ts) sets NTASKS, QOS, SLICE, CONQ, QUOTA,
* LEAK_MAX and the service parameters, and writes the task table at TASKTAB.
        .include "tinycp.inc"
        .include "lab.inc"

* ---- Interruption new PSWs (PoO 5.1): supervisor state, DAT off, disabled ----
        .org  0
        .psw  0, boot
        .org  LC_EXTERNAL_NEW
        .psw  0, extint
        .psw  0, svcint             ; LC_SVC_NEW
        .psw  0, pgmint             ; LC_PROGRAM_NEW
        .psw  0, kpanic             ; LC_MCHECK_NEW
        .psw  0, kpanic             ; LC_IO_NEW: the kernel starts no I/O

* ---- Kernel data, below X'1000' so no base register is needed ----
        .org  0x200
scratch: .space 64                  ; registers of the interrupted task
        .align 8
disppsw: .psw 0, 0                  ; the PSW the dispatcher loads
tslice:  .word 0, 0                 ; CPU timer value for this dispatch
forever: .word 0x7FFFFFFF, -1       ; no QoS: a timer that never runs out
curtask: .word 0                    ; TCB of the running task
lastidx: .word NTASKS-1             ; round-robin position
nextfrm: .word FRAMES               ; next free page frame
memtop:  .word 0                    ; storage size (DIAGNOSE X'0C')
leakn:   .word 0                    ; words of the leaking table in use
ndone:   .word 0                    ; tasks ended
kline:   .space 100                 ; a console line being built
kdata_end = *
        .if   kdata_end > 0x1000
        .error "kernel data must stay below X'1000'"
        .endif

        .org  0x1000
* =============================================================================================
* Boot: the shared code page table, then per task a private page table, a segment table, a TCB.
* =============================================================================================
boot:   DIAG  R2,R0,DIAG_STORAGE_SIZE
        ST    R2,memtop
        LI    R2,CODEPT             ; segment 0: every page invalid ...
        LHI   R3,256
        LHI   R0,PTE_INVALID
b1:     ST    R0,0(R2)
        LA    R2,4(R2)
        BRCT  R3,b1
        LI    R2,SVCLO              ; ... but the service pages, read-only, virtual = real
b2:     LR    R0,R2
        OIL   R0,PTE_PROTECT
        LR    R3,R2
        SRL   R3,PAGE_SHIFT-2
        A     R3,=CODEPT
        ST    R0,0(R3)
        AHI   R2,PAGE_SIZE
        C     R2,=SVCHI
        JL    b2
        XR    R5,R5                 ; R5 = task index, R12 -> its TCB
        L     R12,=TCBS
b3:     LR    R0,R5
        AHI   R0,1
        ST    R0,TCB_ID(R12)
        XR    R0,R0
        ST    R0,TCB_STATE(R12)
        ST    R0,TCB_FRAMES(R12)
        LR    R6,R5                 ; R6 = its private page table, all invalid
        SLL   R6,10
        A     R6,=PRIVPT
        ST    R6,TCB_PT(R12)
        LR    R2,R6
        LHI   R3,256
        LHI   R0,PTE_INVALID
b4:     ST    R0,0(R2)
        LA    R2,4(R2)
        BRCT  R3,b4
        LR    R7,R5                 ; R7 = its segment table: shared code, private pages
        SLL   R7,6
        A     R7,=SEGTABS
        L     R0,=CODEPT
        ST    R0,0(R7)
        ST    R6,4(R7)
        LR    R0,R7
        OIL   R0,1                  ; segment-table length: 2 entries
        ST    R0,TCB_CR1(R12)
        LR    R3,R5                 ; entry and share from the task table
        SLL   R3,3
        A     R3,=TASKTAB
        L     R0,0(R3)
        ST    R0,TCB_PSW+4(R12)
        L     R0,4(R3)
        ST    R0,TCB_SHARE(R12)
        L     R0,=PSW_DAT|PSW_EXT|PSW_PROBLEM
        ST    R0,TCB_PSW(R12)
        L     R0,=PRIVATE           ; the service's registers: R10 -> private, R11 = id
        ST    R0,TCB_GPR+40(R12)
        L     R0,TCB_ID(R12)
        ST    R0,TCB_GPR+44(R12)
        LA    R12,TCB_SIZE(R12)
        AHI   R5,1
        CHI   R5,NTASKS
        JL    b3
        LA    R1,kline              ; "kernel: <n> tasks"
        LARL  R2,m_boot
        LHI   R3,8
        BRAS  R14,putstr
        LHI   R0,NTASKS
        BRAS  R14,putdec
        LARL  R2,m_tasks
        LHI   R3,6
        BRAS  R14,putstr
        BRAS  R14,kput
        J     schedule

* =============================================================================================
* The scheduler: round robin from the task after the one dispatched last.
* =============================================================================================
schedule:
        L     R3,lastidx
        LHI   R4,NTASKS
sch1:   AHI   R3,1
        CHI   R3,NTASKS
        JL    sch2
        XR    R3,R3
sch2:   LR    R12,R3
        SLL   R12,7                 ; * TCB_SIZE
        A     R12,=TCBS
        L     R0,TCB_STATE(R12)
        CHI   R0,ST_READY
        JE    dispatch
        BRCT  R4,sch1
        LA    R1,kline              ; nothing ready: every task has ended
        LARL  R2,m_done
        LHI   R3,12
        BRAS  R14,putstr
        BRAS  R14,kput
        EXIT  0

dispatch:
        ST    R3,lastidx
        ST    R12,curtask
        XR    R0,R0
        ST    R0,TCB_LINES(R12)
        .if   QOS
        L     R0,TCB_SHARE(R12)     ; its slice: SLICE instructions per share (PoO 4.5.3)
        MHI   R0,SLICE
        ST    R0,tslice+4
        SPT   tslice
        .else
        SPT   forever
        .endif
resume: LCTL  1,1,TCB_CR1(R12)      ; its address space
        LM    R0,R1,TCB_PSW(R12)
        STM   R0,R1,disppsw
        LM    R0,R15,TCB_GPR(R12)
        LPSW  disppsw

* SAVECTX: the registers in `scratch` and the old PSW at R1 into the running task's TCB (R12).
savectx:
        L     R12,curtask
        LM    R2,R3,0(R1)
        STM   R2,R3,TCB_PSW(R12)
        LM    R0,R11,scratch
        STM   R0,R11,TCB_GPR(R12)
        LM    R0,R3,scratch+48
        STM   R0,R3,TCB_GPR+48(R12)
        BR    R14

* External interruption: the CPU timer ended the slice; the task goes to the back of the queue.
extint: STM   R0,R15,scratch
        LA    R1,LC_EXTERNAL_OLD
        BRAS  R14,savectx
        L     R0,LC_EXT_CODE
        CHI   R0,EXT_CPU_TIMER
        JNE   resume
        J     schedule

* =============================================================================================
* Supervisor call: the task's SYS request; the function in its R0, arguments in R1-R3.
* =============================================================================================
svcint: STM   R0,R15,scratch
        LA    R1,LC_SVC_OLD
        BRAS  R14,savectx
        .if   LEAK_MAX
        L     R2,leakn              ; the leak: a word per call, never given back
        C     R2,=LEAK_MAX
        JNL   aged
        LR    R3,R2
        SLL   R3,2
        A     R3,=LEAKTAB
        ST    R12,0(R3)
        AHI   R2,1
        ST    R2,leakn
        .endif
        L     R0,TCB_GPR(R12)
        CHI   R0,F_PUT
        JE    svput
        CHI   R0,F_EXIT
        JE    svexit
        CHI   R0,F_FWRITE
        JE    svfile
        CHI   R0,F_FREAD
        JE    svfile
        CHI   R0,F_YIELD
        JE    schedule
        LHI   R8,0x101              ; abend X'101': unknown function
        J     abend

svexit: LHI   R0,ST_DONE
        ST    R0,TCB_STATE(R12)
        L     R0,ndone
        AHI   R0,1
        ST    R0,ndone
        J     schedule

* F_PUT: "t<id>| " and the task's line, copied out of its space a byte at a time through LRA
* (its CR1 is still loaded), written with DIAGNOSE X'10'.
svput:  BRAS  R14,prefix
        L     R3,TCB_GPR+4(R12)     ; R3 = virtual address, R4 = length
        L     R4,TCB_GPR+8(R12)
        CHI   R4,1
        JL    badarg
        CHI   R4,LINE_MAX
        JH    badarg
sp1:    LRA   R5,0(R3)
        JNZ   badaddr
        LLC   R0,0(R5)
        STC   R0,0(R1)
        LA    R1,1(R1)
        LA    R3,1(R3)
        BRCT  R4,sp1
        BRAS  R14,kput
        XR    R0,R0
        ST    R0,TCB_GPR+60(R12)    ; R15 = 0
        .if   QOS
        L     R0,TCB_LINES(R12)     ; console QoS: CONQ lines a slice, then the others' turn
        AHI   R0,1
        ST    R0,TCB_LINES(R12)
        CHI   R0,CONQ
        JNL   schedule
        .endif
        J     resume

* F_FWRITE / F_FREAD: file R1 of this task, R3 bytes at virtual R2 (in its private segment).
svfile: L     R1,TCB_GPR+4(R12)
        LHI   R0,NFILES
        CLR   R1,R0
        JNL   badarg
        L     R4,TCB_GPR+12(R12)
        CHI   R4,1
        JL    badarg
        CHI   R4,FILESZ
        JH    badarg
        L     R6,TCB_ID(R12)        ; R6 = the file: only this task's files can be named
        AHI   R6,-1
        MHI   R6,NFILES
        AR    R6,R1
        MHI   R6,FILESZ
        A     R6,=FILES
        L     R3,TCB_GPR+8(R12)     ; the buffer must lie in segment 1 (never the shared code)
        LR    R0,R3
        SRL   R0,SEGMENT_SHIFT
        CHI   R0,1
        JNE   badaddr
        LR    R0,R3
        AR    R0,R4
        BCTR  R0,0
        SRL   R0,SEGMENT_SHIFT
        CHI   R0,1
        JNE   badaddr
        L     R0,TCB_GPR(R12)
        CHI   R0,F_FREAD
        JE    fr1
fw1:    LRA   R5,0(R3)
        JNZ   badaddr
        LLC   R0,0(R5)
        STC   R0,0(R6)
        LA    R3,1(R3)
        LA    R6,1(R6)
        BRCT  R4,fw1
        J     resume
fr1:    LRA   R5,0(R3)
        JNZ   badaddr
        LLC   R0,0(R6)
        STC   R0,0(R5)
        LA    R3,1(R3)
        LA    R6,1(R6)
        BRCT  R4,fr1
        J     resume

badarg: LHI   R8,0x201              ; abend X'201': a bad length or file number
        J     abend
badaddr: LHI  R8,0x202              ; abend X'202': the buffer is not in the task's space
        J     abend

* =============================================================================================
* Program interruption. A page-translation exception in segment 1 is a first touch: give the
* task a fresh frame if its quota allows. Anything else ends the task alone (an abend).
* =============================================================================================
pgmint: TM    LC_PROGRAM_OLD+1,PSW_PROBLEM>>16
        JZ    kpanic                ; in the kernel itself: every task goes down
        STM   R0,R15,scratch
        LA    R1,LC_PROGRAM_OLD
        BRAS  R14,savectx
        L     R8,LC_PGM_CODE
        CHI   R8,PGM_PAGE
        JNE   abend
        L     R3,LC_TRANS_ADDR
        LR    R4,R3
        SRL   R4,SEGMENT_SHIFT
        CHI   R4,1
        JNE   abend
        L     R0,TCB_FRAMES(R12)    ; the storage quota
        CHI   R0,QUOTA
        JNL   overq
        L     R5,nextfrm
        LR    R6,R5
        AHI   R6,PAGE_SIZE
        C     R6,memtop
        JH    overq
        ST    R6,nextfrm
        AHI   R0,1
        ST    R0,TCB_FRAMES(R12)
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
        ST    R5,0(R3)
        J     resume                ; the instruction was nullified: it runs again
overq:  LHI   R8,0x301              ; abend X'301': over its storage quota
* ABEND: end the task of TCB R12 alone, code R8: "t<id>| abend <code>".
abend:  BRAS  R14,prefix
        LARL  R2,m_abend
        LHI   R3,6
        BRAS  R14,putstr
        LR    R0,R8
        LHI   R4,4
        BRAS  R14,puthex
        BRAS  R14,kput
        J     svexit

* The kernel aged: its table is full. It stops, and every task with it.
aged:   LA    R1,kline
        LARL  R2,m_aged
        LHI   R3,18
        BRAS  R14,putstr
        BRAS  R14,kput
        EXIT  0xA6C
kpanic: EXIT  0xBAC

* PREFIX: "t<id>| " of TCB R12 at kline. Out: R1 past it. Uses R0, R2-R6.
prefix: LR    R7,R14
        LA    R1,kline
        LHI   R0,'t'
        STC   R0,0(R1)
        LA    R1,1(R1)
        L     R0,TCB_ID(R12)
        BRAS  R14,putdec
        LARL  R2,m_bar
        LHI   R3,2
        BRAS  R14,putstr
        BR    R7

* KPUT: write kline up to R1 on the console (DIAGNOSE X'10', PoO 11). Uses R2.
kput:   LA    R2,kline
        SR    R1,R2
        DIAG  R2,R1,DIAG_CONSOLE_WRITE
        BR    R14

        .align 4
m_boot:  .ascii "kernel: "
        .align 4
m_tasks: .ascii " tasks"
        .align 4
m_done:  .ascii "kernel: done"
        .align 4
m_abend: .ascii "abend "
        .align 4
m_aged:  .ascii "kernel: table full"
        .align 4
m_bar:   .ascii "| "
        .align 4
        .ltorg

* ---- The service pages: mapped read-only into every task ----
        .org  SVCLO
        .include "services.s"
sys:    SVC   8                     ; the system-call stub: the kernel reads the function from R0
        BR    R14
        .if   * > SVCHI
        .error "the services must fit in the service pages"
        .endif
