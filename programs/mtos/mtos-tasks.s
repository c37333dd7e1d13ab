* mtos-tasks.s - the programs MTOS runs, and a small formatting library they share with the
* kernel. Everything here sits in the task pages (TASKLO..TASKHI), which every task's address
* space maps read-only at the same virtual address as its real one, so this code runs unchanged
* with DAT on (a task) or off (the kernel). It is position-independent anyway: data is reached
* through base registers and LARL, never through absolute addresses.
*
* Each task owns the pages of segment 1 (virtual X'100000' up): the same virtual addresses in
* every task, different real frames, given out by the kernel on the first touch (page fault).

        .org  TASKLO

* ---------------------------------------------------------------------------------------------
* Library (R14 = return address). Registers not named are left alone.
* ---------------------------------------------------------------------------------------------

        .include "fmt.inc"          ; PUTSTR, PUTDEC, PUTHEX

* ---------------------------------------------------------------------------------------------
* Task helpers. Convention in every task: R11 = my id, R10 -> my private page, R9 = step.
* ---------------------------------------------------------------------------------------------

* BEGIN: get my id, write it into my private page (the first touch: a page fault the kernel
* serves), set R9 = 1. Uses R1.
        .macro BEGIN
        SVC   SVC_GETID
        LR    R11,R1
        LUH   R10,PRIVATE>>16
        ST    R11,P_ID(R10)
        LHI   R9,1
        .endm

* SPIN count: burn about 2*count instructions, so that the timer preempts the task mid-computation.
        .macro SPIN count
        LI    R0,\count
spin\@: BRCT  R0,spin\@
        .endm

* STEPLINE: format "task <id>: step <R9>" at P_LINE(R10). Out: R1 -> end of the text.
* Uses R0-R6, R13.
stepline:
        LR    R13,R14
        LA    R1,P_LINE(R10)
        LARL  R2,s_task
        LHI   R3,5
        BRAS  R14,putstr
        LR    R0,R11
        BRAS  R14,putdec
        LARL  R2,s_step
        LHI   R3,7
        BRAS  R14,putstr
        LR    R0,R9
        BRAS  R14,putdec
        BR    R13

* SAYLINE: write the text from P_LINE(R10) up to R1 on the console (SVC_WRITE), then check that
* my private page still holds my id: another task's store, or a wrong mapping, would show here
* (the task then exits with code 99). Uses R0-R2.
sayline:
        LA    R2,P_LINE(R10)
        LR    R0,R1
        SR    R0,R2             ; R0 = length
        LR    R1,R2
        LR    R2,R0
        SVC   SVC_WRITE
        L     R0,P_ID(R10)
        CR    R0,R11
        JNE   badid
        BR    R14
badid:  LHI   R1,99
        SVC   SVC_EXIT

* ---------------------------------------------------------------------------------------------
* Task 1: a counter. Five steps of pure computation, preempted by the timer.
* ---------------------------------------------------------------------------------------------
task1:  BEGIN
t1step: SPIN  1500
        BRAS  R14,stepline
        BRAS  R14,sayline
        AHI   R9,1
        CHI   R9,6
        JL    t1step
        XR    R1,R1
        SVC   SVC_EXIT

* ---------------------------------------------------------------------------------------------
* Task 2: primes by trial division. Each step finds 12 more and prints the last one found.
* R8 = the last number tested, R7 = primes still to find in this step, R6 = trial divisor.
* ---------------------------------------------------------------------------------------------
task2:  BEGIN
        LHI   R8,1
t2step: LHI   R7,12
t2next: AHI   R8,1              ; next candidate
        LHI   R6,2
t2div:  LR    R3,R6
        MSR   R3,R6
        CR    R3,R8
        JH    t2prime           ; divisor squared beyond the candidate: it is prime
        XR    R2,R2
        LR    R3,R8
        DR    R2,R6
        LTR   R2,R2
        JZ    t2next            ; divisible: not prime
        AHI   R6,1
        J     t2div
t2prime: BRCT R7,t2next
        BRAS  R14,stepline
        LARL  R2,s_prime
        LHI   R3,7
        BRAS  R14,putstr
        LR    R0,R8
        BRAS  R14,putdec
        BRAS  R14,sayline
        AHI   R9,1
        CHI   R9,6
        JL    t2step
        XR    R1,R1
        SVC   SVC_EXIT

* ---------------------------------------------------------------------------------------------
* Task 3: polite. Four short steps, each ending with SVC_YIELD; it also fills a table in a
* second private page (another demand-paged frame) and checks it at the end.
* ---------------------------------------------------------------------------------------------
task3:  BEGIN
t3step: SPIN  100
        LR    R2,R9
        SLL   R2,2
        AR    R2,R10
        ST    R9,4096(R2)         ; table[step] = step, in page 2 of my space
        BRAS  R14,stepline
        BRAS  R14,sayline
        SVC   SVC_YIELD
        AHI   R9,1
        CHI   R9,5
        JL    t3step
        LHI   R9,4              ; check the table: table[i] = i for i = 4..1
t3chk:  LR    R2,R9
        SLL   R2,2
        AR    R2,R10
        L     R0,4096(R2)
        CR    R0,R9
        JNE   t3bad
        BRCT  R9,t3chk
        XR    R1,R1
        SVC   SVC_EXIT
t3bad:  LHI   R1,98
        SVC   SVC_EXIT

* ---------------------------------------------------------------------------------------------
* Task 4: the rogue. It announces itself, then stores into the shared code page, which every
* address space maps read-only: a protection exception, and the kernel ends the task alone.
* ---------------------------------------------------------------------------------------------
task4:  BEGIN
        BRAS  R14,stepline
        LARL  R2,s_rogue
        LHI   R3,s_rogue_len
        BRAS  R14,putstr
        BRAS  R14,sayline
        LARL  R2,task1
        ST    R0,0(R2)          ; protection exception: the task ends here
        XR    R1,R1
        SVC   SVC_EXIT

        .align 4                ; LARL targets are word aligned
s_task:  .ascii "task "
        .align 4
s_step:  .ascii ": step "
        .align 4
s_prime: .ascii " prime "
        .align 4
s_rogue: .ascii ", storing into the shared code page"
s_rogue_len = * - s_rogue
tasks_end = *
        .if   tasks_end > TASKHI
        .error "the task programs overflow the task pages"
        .endif
