* pairs.s - register-pair arithmetic (PoO 4.5.5-4.5.6): MR/M give the 64-bit signed product of
* R1+1 and the operand in R1,R1+1; DR/D divide the 64-bit R1,R1+1 and leave the remainder (sign
* of the dividend) in R1 and the quotient in R1+1. The condition code is unchanged.
        .include "tinycp.inc"
        .include "testlib.inc"
        TESTINIT
start:  LHI   R1,0
        SPM   R1                      ; CC 0 throughout
        LHI   R2,99                   ; ignored: R2 is replaced
        LHI   R3,-7
        LHI   R4,6
        MR    R2,R4
        CHKR  R2,-1,1
        CHKR  R3,-42,2
        LI    R5,0x7FFFFFFF
        LI    R3,0x7FFFFFFF
        MR    R2,R5                   ; X'3FFFFFFF_00000001'
        CHKR  R2,0x3FFFFFFF,3
        CHKR  R3,1,4
        LI    R3,0x80000000
        MR    R2,R3                   ; (-2**31)**2 = 2**62
        CHKR  R2,0x40000000,5
        CHKR  R3,0,6
        LHI   R7,-3
        M     R6,big                  ; -3 * X'10001'
        CHKR  R6,-1,7
        CHKR  R7,-196611,8
* divide
        LHI   R2,0
        LHI   R3,47
        LHI   R4,5
        DR    R2,R4
        CHKR  R2,2,9
        CHKR  R3,9,10
        LHI   R2,-1
        LHI   R3,-47                  ; dividend -47 as a 64-bit pair
        DR    R2,R4
        CHKR  R2,-2,11                ; remainder has the dividend's sign
        CHKR  R3,-9,12
        LHI   R2,0
        LHI   R3,47
        LHI   R4,-5
        DR    R2,R4
        CHKR  R2,2,13
        CHKR  R3,-9,14
        LI    R2,0x3FFFFFFF           ; X'3FFFFFFF_00000001' = X'7FFFFFFF' squared
        LHI   R3,1
        LI    R4,0x7FFFFFFF
        DR    R2,R4
        CHKR  R2,0,15
        CHKR  R3,0x7FFFFFFF,16
        LI    R6,0xFFFFFFFF           ; -2**31 = X'FFFFFFFF_80000000' / 1: the largest negative quotient fits
        LI    R7,0x80000000
        D     R6,one
        CHKR  R6,0,17
        CHKR  R7,0x80000000,18
        CHKCC 0,19
        PASS
big:    .word 0x10001
one:    .word 1
