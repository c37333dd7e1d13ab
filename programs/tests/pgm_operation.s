* pgm_operation.s - operation exception (PoO 5.3, code 1): an undefined operation code is
* suppressed; the old PSW points after it and keeps the state, condition code included, so
* returning through the program old PSW goes on with the next instruction.
        .include "tinycp.inc"
        .include "testlib.inc"
        TESTINIT
start:  EXPECT PGM_OPERATION, op1+4, n1, 10
op1:    .word 0x00000000
        FAIL  1
n1:     TRAPPED 1,2
        EXPECT PGM_OPERATION, op2+4, n2, 20
op2:    .word 0xFF123456
        FAIL  3
n2:     EXPECT PGM_OPERATION, op3+4, n3, 30
op3:    .word 0xA7000000              ; a hole in the opcode table
        FAIL  4
* return through the old PSW: the CC (2) and the registers survive, execution goes on after it
n3:     LHI   R1,1
        LTR   R1,R1                   ; CC 2
        LHI   R2,77
        EXPECT PGM_OPERATION, op4+4, 0, 40, 0x2000, -1   ; the whole old PSW word 0: CC 2
op4:    .word 0x01000000
        CHKCC 2,5
        CHKR  R2,77,6
        TRAPPED 4,7
* in problem state too: the old PSW says so
        EXPECT PGM_OPERATION, op5+4, n5, 50, PSW_PROBLEM
        LPSW  user
op5:    .word 0x00FFFFFF
        FAIL  8                       ; not reached (and FAIL is privileged here)
n5:     TRAPPED 5,9
        PASS
        .align 8
user:   .psw  PSW_PROBLEM, op5
