* mtos-io.s - MTOS console I/O, the kernel's own messages and the final summary. Included by
* mtos.s.
*
* One console line is on the channel at a time (`conbusy`). A task's line waits in its TCB
* (ST_QUEUED) until the console is free; `kickcon` starts the next one; the console's I/O
* interruption makes its owner ready again. The kernel's own lines (`oswrite`) are written
* synchronously: the kernel waits, enabled for I/O only, until its line is done.

* =============================================================================================
* I/O interruption. It can arrive while a task runs (handled and the task resumed), in the idle
* wait (then schedule) or in the kernel's synchronous wait (then back to the waiting kernel).
* =============================================================================================
ioint:  TM    LC_IO_OLD+1,PSW_PROBLEM>>16
        JO    iotask
        CLI   syncwt,0
        JNE   iosync
        BRAS  R14,conint            ; from the idle wait
        BRAS  R14,kickcon
        J     schedule
iotask: STM   R0,R15,scratch
        BRAS  R14,conint
        BRAS  R14,kickcon
        LM    R0,R15,scratch
        LPSW  LC_IO_OLD             ; the task goes on where it was
iosync: MVI   syncwt,0
        BRAS  R14,conint
        LM    R0,R15,syncsave
        BR    R14                   ; back into `syncwait`'s caller

* CONINT: the console finished a line: its owner (if a task) can run again. Uses R0, R1.
conint: L     R0,LC_IO_ADDR
        CHI   R0,CONSOLE
        BNER  R14                   ; not the console: nothing else is attached here
        MVI   conbusy,0
        L     R1,conowner
        LTR   R1,R1
        BZR   R14
        LHI   R0,ST_READY
        ST    R0,TCB_STATE(R1)
        XR    R0,R0
        ST    R0,conowner
        BR    R14

* KICKCON: if the console is free, start the first queued task line. Uses R0-R3, R12 kept.
kickcon:
        CLI   conbusy,0
        BNER  R14
        LA    R3,tcbs
        LHI   R2,NTASKS
kc1:    L     R0,TCB_STATE(R3)
        CHI   R0,ST_QUEUED
        JE    kc2
        LA    R3,TCB_SIZE(R3)
        BRCT  R2,kc1
        BR    R14
kc2:    LHI   R0,ST_WRITING
        ST    R0,TCB_STATE(R3)
        ST    R3,conowner
        LA    R1,TCB_LINE(R3)
        L     R2,TCB_LEN(R3)
* CONIO: start writing R2 bytes at R1 on the console. Uses R0.
conio:  LR    R0,R1
        O     R0,=CMD_WRITE<<24
        ST    R0,conccw
        ST    R2,conccw+4           ; flags 0, count
        LA    R0,conccw
        ST    R0,LC_CAW
        SIO   CONSOLE
        JNZ   kpanic                ; the console is ours alone: it must start
        MVI   conbusy,1
        BR    R14

* SYNCWAIT: wait for one I/O interruption; every register comes back unchanged.
syncwait:
        STM   R0,R15,syncsave
        MVI   syncwt,1
        LPSW  waitsync

* OSWRITE: write R2 bytes at R1 on the console and wait until done. Uses R0-R3.
* OSLINE_OUT: the same for `osline` up to R1.
osline_out:
        LA    R2,osline
        SR    R1,R2
        LR    R2,R1
        LA    R1,osline
oswrite:
        ST    R14,oswr14
ow1:    CLI   conbusy,0             ; a task's line is on the console: let it finish
        JE    ow2
        BRAS  R14,syncwait
        J     ow1
ow2:    BRAS  R14,conio
ow3:    BRAS  R14,syncwait
        CLI   conbusy,0
        JNE   ow3
        BRAS  R14,kickcon           ; lines queued meanwhile
        L     R14,oswr14
        BR    R14

* =============================================================================================
* Every task has ended: one line per task, the totals, then stop. EXIT 0 when each task ended
* as expected (TCB_EXPECT), EXIT 4 otherwise.
* =============================================================================================
finish: LA    R12,tcbs
        LHI   R9,NTASKS
        XR    R10,R10               ; R10 = tasks that did not end as expected
fin1:   LA    R1,osline
        LARL  R2,m_task
        LHI   R3,m_task_len
        BRAS  R14,putstr
        L     R0,TCB_ID(R12)
        BRAS  R14,putdec
        L     R8,TCB_RC(R12)
        LR    R0,R8
        N     R0,=ABEND
        JNZ   fin2
        LARL  R2,m_exit
        LHI   R3,m_exit_len
        BRAS  R14,putstr
        LR    R0,R8
        BRAS  R14,putdec
        J     fin3
fin2:   LARL  R2,m_abended
        LHI   R3,m_abended_len
        BRAS  R14,putstr
        LR    R0,R8
        LHI   R4,4
        BRAS  R14,puthex
        LHI   R0,0x27               ; a quote
        STC   R0,0(R1)
        LA    R1,1(R1)
fin3:   LARL  R2,m_faults
        LHI   R3,m_faults_len
        BRAS  R14,putstr
        L     R0,TCB_FAULTS(R12)
        BRAS  R14,putdec
        C     R8,TCB_EXPECT(R12)
        JE    fin4
        AHI   R10,1
        LARL  R2,m_unexp
        LHI   R3,m_unexp_len
        BRAS  R14,putstr
fin4:   BRAS  R14,osline_out
        LA    R12,TCB_SIZE(R12)
        BRCT  R9,fin1
* Totals.
        LA    R1,osline
        LARL  R2,m_total
        LHI   R3,m_total_len
        BRAS  R14,putstr
        L     R0,ndisp
        BRAS  R14,putdec
        LARL  R2,m_disp
        LHI   R3,m_disp_len
        BRAS  R14,putstr
        L     R0,nticks
        BRAS  R14,putdec
        LARL  R2,m_ticks
        LHI   R3,m_ticks_len
        BRAS  R14,putstr
        L     R0,nsvc
        BRAS  R14,putdec
        LARL  R2,m_svcs
        LHI   R3,m_svcs_len
        BRAS  R14,putstr
        L     R0,nfaults
        BRAS  R14,putdec
        LARL  R2,m_pf
        LHI   R3,m_pf_len
        BRAS  R14,putstr
        BRAS  R14,osline_out
        LTR   R10,R10
        JNZ   failed
        EXIT  0
failed: EXIT  4

* ---- Messages ----
        .macro MSG name, text
        .align 4                  ; LARL needs word-aligned targets
\name:  .ascii \text
\name\()_len = * - \name
        .endm
        MSG   m_boot, "MTOS: starting "
        MSG   m_slice, " tasks, time slice "
        MSG   m_task, "MTOS: task "
        MSG   m_abend, " abended: program check X'"
        MSG   m_at, "' at X'"
        MSG   m_exit, " ended, exit code "
        MSG   m_abended, " abended, code X'"
        MSG   m_faults, ", page faults "
        MSG   m_unexp, " (UNEXPECTED)"
        MSG   m_total, "MTOS: all tasks ended: "
        MSG   m_disp, " dispatches, "
        MSG   m_ticks, " timer interruptions, "
        MSG   m_svcs, " supervisor calls, "
        MSG   m_pf, " page faults"
        .align 4
