* pgm_spec.s - specification exception (PoO 5.3, code 6), always suppressing (nothing changes):
* misaligned word/halfword operands, an odd register pair, a misaligned branch target (raised by
* the branch itself: no link, no count), an invalid PSW loaded by LPSW (and a misaligned LPSW
* operand), reserved system-mask bits (SSM, STOSM), an unknown DIAGNOSE function.
        .include "tinycp.inc"
        .include "testlib.inc"
        TESTINIT
        .macro SPEC label, fail
        EXPECT PGM_SPECIFICATION, \label+4, 0, \fail
        .endm
start:  LHI   R2,-1
        SPEC  s1,10
s1:     L     R2,w+1
        SPEC  s2,20
s2:     L     R2,w+2
        SPEC  s3,30
s3:     LH    R2,w+1
        CHKR  R2,-1,1
        SPEC  s4,40
s4:     ST    R2,w+3
        SPEC  s5,50
s5:     STH   R2,w+1
        CHKM  w,0x11223344,2
        LA    R8,w
        SPEC  s6,60
s6:     LM    R2,R3,2(R8)
        SPEC  s7,70
s7:     CS    R2,R3,1(R8)
        SPEC  s8,80
s8:     STM   R2,R3,2(R8)
        CHKM  w,0x11223344,3
* odd register pairs
        LHI   R4,3
        SPEC  p1,90
p1:     MR    R3,R4
        SPEC  p2,100
p2:     DR    R5,R4
        SPEC  p3,110
p3:     M     R1,w
        SPEC  p4,120
p4:     D     R7,w
        SPEC  p5,130
p5:     SRDL  R9,1
        SPEC  p6,140
p6:     SLDL  R11,1
        CHKR  R4,3,4
* misaligned branch targets: suppressed, so no link and no count
        LHI   R10,-1
        LA    R11,tgt+2
        SPEC  b1,150
b1:     BALR  R10,R11
        CHKR  R10,-1,5
        SPEC  b2,160
b2:     BAL   R10,tgt+1
        CHKR  R10,-1,6
        LHI   R5,5
        SPEC  b3,170
b3:     BCT   R5,tgt+3
        CHKR  R5,5,7
        SPEC  b4,180
b4:     BCTR  R5,R11
        CHKR  R5,5,8
        SPEC  b5,190
b5:     BCR   15,R11
        SPEC  b6,200
b6:     B     tgt+2
        BCR   0,R11                   ; not taken: no exception
        NOP   tgt+2
        LHI   R5,1
        BCT   R5,tgt+2                ; count reaches 0: not taken, no exception
        CHKR  R5,0,9
* invalid PSWs
        SPEC  l1,210
l1:     LPSW  badres                  ; reserved bit 0
        SPEC  l2,220
l2:     LPSW  badodd                  ; instruction address not a multiple of 4
        SPEC  l3,230
l3:     LPSW  badhigh                 ; address above 24 bits
        SPEC  l4,240
l4:     LPSW  good+4                  ; operand not on a doubleword
        SPEC  l5,250
l5:     LPSW  badres2                 ; reserved bit 12
* reserved system-mask bits and unknown DIAGNOSE
        SPEC  m1,260
m1:     SSM   resmask
        SPEC  m2,270
m2:     STOSM sysm,0x08
        SPEC  m3,280
m3:     DIAG  R1,R1,0x123
        TRAPPED 28,10
        PASS
tgt:    FAIL  11
        .align 8
w:      .word 0x11223344,0x55667788
badres: .psw  0x80000000, start
badodd: .psw  0, start+2
badhigh: .word 0, 0x01000400
good:   .psw  0, start
        .word 0
badres2: .word 0x00080000, start
resmask: .byte 0x80
sysm:   .byte 0
