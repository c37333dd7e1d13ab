* pgm_divide.s - fixed-point-divide exception (PoO 5.3, code 9): DR/D by zero, or a quotient
* that does not fit in 32 bits, is suppressed (the pair is unchanged) whatever the program mask.
        .include "tinycp.inc"
        .include "testlib.inc"
        TESTINIT
start:  LHI   R2,0
        LHI   R3,100
        LHI   R4,0
        EXPECT PGM_FIXED_DIVIDE, d1+4, n1, 10
d1:     DR    R2,R4
        FAIL  1
n1:     CHKR  R2,0,2
        CHKR  R3,100,3
        EXPECT PGM_FIXED_DIVIDE, d2+4, n2, 20
d2:     D     R2,zero
        FAIL  4
n2:     LHI   R2,1                    ; 2**32 + 100 over 1: quotient too big
        EXPECT PGM_FIXED_DIVIDE, d3+4, n3, 30
d3:     D     R2,one
        FAIL  5
n3:     CHKR  R2,1,6
        CHKR  R3,100,7
        LHI   R2,0                    ; 2**31 over 1 does not fit either (only -2**31 does)
        LI    R3,0x80000000
        EXPECT PGM_FIXED_DIVIDE, d4+4, n4, 40
d4:     D     R2,one
        FAIL  8
n4:     LHI   R2,-1                   ; -2**31 over -1 = 2**31: too big
        EXPECT PGM_FIXED_DIVIDE, d5+4, n5, 50
d5:     D     R2,mone
        FAIL  9
n5:     CHKR  R2,-1,10
        CHKR  R3,0x80000000,11
        TRAPPED 5,12
        PASS
zero:   .word 0
one:    .word 1
mone:   .word -1
