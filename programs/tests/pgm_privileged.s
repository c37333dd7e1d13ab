* pgm_privileged.s - privileged-operation exception (PoO 5.3, code 2): the supervisor drops into
* problem state with LPSW; there every privileged instruction is suppressed (no effect at all)
* with an old PSW that has the problem-state bit and points after it. The user program
* returns to the supervisor with SVC.
        .include "tinycp.inc"
        .include "testlib.inc"
        TESTINIT
* PRIV label, fail: the instruction at `label` must trap with a privileged-operation exception.
        .macro PRIV label, fail
        EXPECT PGM_PRIVILEGED, \label+4, 0, \fail, PSW_PROBLEM
        .endm
start:  SETNEW LC_SVC_NEW,back
        LHI   R5,55
        LPSW  user                    ; problem state from here
user1:  PRIV  q1,10
q1:     SSM  mask
        PRIV  q2,20
q2:     LPSW super
        PRIV  q3,30
q3:     DIAG R1,R1,DIAG_TEST_RESULT
        PRIV  q4,40
q4:     SIO  DEV_CONSOLE
        PRIV  q5,50
q5:     LCTL R0,R0,zero
        PRIV  q6,60
q6:     STCTL R0,R0,buf
        PRIV  q7,70
q7:     SPT  zero
        PRIV  q8,80
q8:     STPT buf
        PRIV  q9,90
q9:     SCKC zero
        PRIV  q10,100
q10:    STCKC buf
        PRIV  q11,110
q11:    SCK  zero
        PRIV  q12,120
q12:    PTLB
        PRIV  q13,130
q13:    LRA  R5,0
        PRIV  q14,140
q14:    STNSM buf,0
        PRIV  q15,150
q15:    STOSM buf,0xFF
        PRIV  q16,160
q16:    TIO  DEV_CONSOLE
        PRIV  q17,170
q17:    HIO  DEV_CONSOLE
        SVC   9
back:   TRAPPED 17,1
        CHKPSW LC_SVC_OLD,PSW_PROBLEM,back,2  ; SVC came from problem state
        CHKR  R5,55,4                 ; LRA did not load R5
        CHKM  buf,0x5A5A5A5A,5        ; nothing was stored
        CHKM  buf+4,0x5A5A5A5A,6
        L     R15,LC_SVC_CODE
        CHI   R15,9
        JNE   f7
        PASS
f7:     FAIL  7
        .align 8
user:   .psw  PSW_PROBLEM, user1
super:  .psw  0, super
mask:   .byte 0xFF
        .align 8
zero:   .word 0,0
buf:    .word 0x5A5A5A5A,0x5A5A5A5A
