* int_program.s - the program interruption as a class (PoO 5.3): the old PSW keeps the state at
* the time of the exception (CC, program mask, problem state, instruction address), the code is at
* LC_PGM_CODE, the handler runs under the program new PSW, and LPSW of the old PSW resumes the
* interrupted program where it left off with its state intact.
        .include "tinycp.inc"
        .include "testlib.inc"
        TESTINIT
start:  SETNEW LC_PROGRAM_NEW,pgmh
        LI    R1,0x17000000           ; CC 1, program mask 7 (fixed-point overflow off)
        SPM   R1
        LHI   R7,123
bad:    .word 0x00000000              ; operation exception
        CHKCC 1,1                     ; resumed with the CC ...
        CHKR  R7,123,2                ; ... and registers
        CHKM  count,1,3
        CHKPSW oldpsw,0x00001700,bad+4,4
        CHKM  code,PGM_OPERATION,6
* from problem state with a program mask: a privileged instruction
        LPSW  user
u1:     LHI   R2,0
        LTR   R2,R2                   ; CC 0
upriv:  PTLB
        SVC   1                       ; back to the supervisor (unexpected SVC = the library ends with 2001)
        .align 8
user:   .psw  PSW_PROBLEM|0x0200, u1  ; program mask 2
pgmh:   L     R15,LC_PROGRAM_OLD
        ST    R15,oldpsw
        L     R15,LC_PROGRAM_OLD+4
        ST    R15,oldpsw+4
        L     R15,LC_PGM_CODE
        ST    R15,code
        L     R15,count
        AHI   R15,1
        ST    R15,count
        CHI   R15,2
        JE    second
        LPSW  LC_PROGRAM_OLD
second: CHKPSW oldpsw,PSW_PROBLEM|0x0200,upriv+4,7
        CHKM  code,PGM_PRIVILEGED,9
        PASS
        .align 8
oldpsw: .word 0,0
code:   .word 0
count:  .word 0
