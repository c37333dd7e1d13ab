* pgm_overflow.s - fixed-point-overflow exception (PoO 5.3, code 8): with the program mask's
* fixed-point-overflow bit on (SPM), an overflowing AR, SR, A, S, AH, SH, AHI, LPR, LCR or SLA
* completes (result stored, CC 3) and then interrupts; the old PSW has CC 3 and the mask, and
* points after the instruction. With the mask off the same instructions just set CC 3.
        .include "tinycp.inc"
        .include "testlib.inc"
        TESTINIT
OLD = PSW_FIXED_OVERFLOW | 0x3000     ; expected old PSW word 0: mask bit, CC 3
        .macro OVF label, fail
        EXPECT PGM_FIXED_OVERFLOW, \label+4, 0, \fail, OLD, -1
        .endm
start:  L     R0,fomask
        SPM   R0                      ; program mask 8: fixed-point overflow enabled
        L     R1,maxpos
        LHI   R2,1
        OVF   i1,10
i1:     AR    R1,R2
        CHKR  R1,0x80000000,1         ; the result was stored
        OVF   i2,20
i2:     SR    R1,R2
        CHKR  R1,0x7FFFFFFF,2
        OVF   i3,30
i3:     A     R1,one
        OVF   i4,40
i4:     S     R1,one
        OVF   i5,50
i5:     AHI   R1,1
        CHKR  R1,0x80000000,3
        OVF   i6,60
i6:     SH    R1,hone
        OVF   i7,70
i7:     AH    R1,hone
        L     R3,maxneg
        OVF   i8,80
i8:     LPR   R4,R3
        CHKR  R4,0x80000000,4
        OVF   i9,90
i9:     LCR   R4,R3
        LHI   R5,1
        OVF   i10,100
i10:    SLA   R5,31
        CHKR  R5,0,5
        TRAPPED 10,6
* no overflow: no interruption, normal CC
        EXPECT PGM_FIXED_OVERFLOW, 0, 0, 110
        LHI   R6,5
        AR    R6,R2
        CHKCC 2,7
        TRAPPED 10,8
        DISARM
* mask off: CC 3, no interruption (an unexpected one would fail with 1008)
        LHI   R0,0
        SPM   R0
        L     R1,maxpos
        AR    R1,R2
        CHKCC 3,9
        SLA   R2,31
        CHKCC 3,10
        PASS
fomask: .word 0x08000000              ; SPM bits 4-7 = 1000
maxpos: .word 0x7FFFFFFF
maxneg: .word 0x80000000
one:    .word 1
hone:   .half 1
