* shifts.s - single and double shifts (PoO 4.7): SLL, SRL (no CC), SRA, SLA (CC; SLA keeps the
* sign and gives CC 3 when a bit unlike the sign leaves bit 1), the amount as the low 6 bits of
* D2(B2), and SLDL/SRDL on an even/odd register pair.
        .include "tinycp.inc"
        .include "testlib.inc"
        TESTINIT
start:  LI    R1,0x80000001
        LR    R2,R1
        SLL   R2,1
        CHKR  R2,2,1
        LR    R2,R1
        SRL   R2,31
        CHKR  R2,1,2
        LR    R2,R1
        SLL   R2,32                   ; amounts above 31 clear the register
        CHKR  R2,0,3
        LR    R2,R1
        LHI   R5,0x144                ; low 6 bits: 4
        SRL   R2,0(R5)
        CHKR  R2,0x08000000,4
        LR    R2,R1
        SLL   R2,63
        CHKR  R2,0,5
* SRA: arithmetic, CC from the result
        LHI   R3,-8
        SRA   R3,1
        CHKCC 1,6
        CHKR  R3,-4,7
        SRA   R3,40                   ; the sign fills everything
        CHKCC 1,8
        CHKR  R3,-1,9
        LHI   R3,8
        SRA   R3,4
        CHKCC 0,10
        LHI   R3,8
        SRA   R3,2
        CHKCC 2,11
        CHKR  R3,2,12
* SLA: overflow when bits unlike the sign are shifted out of bit 1
        LHI   R4,3
        SLA   R4,2
        CHKCC 2,13
        CHKR  R4,12,14
        LI    R4,0x40000000
        SLA   R4,1                    ; a 1 leaves bit 1: overflow, sign kept (0)
        CHKCC 3,15
        CHKR  R4,0,16
        LI    R4,0xC0000001
        SLA   R4,1                    ; the bit shifted out equals the sign: no overflow
        CHKCC 1,17
        CHKR  R4,0x80000002,18
        LI    R4,0xC0000001
        SLA   R4,2                    ; a 0 (unlike the sign 1) leaves: overflow
        CHKCC 3,19
        CHKR  R4,0x80000004,20
        LHI   R4,-1
        SLA   R4,31                   ; only sign bits leave: no overflow (-2**31 fits)
        CHKCC 1,21
        CHKR  R4,0x80000000,22
        LHI   R4,1
        SLA   R4,31                   ; overflow, the sign stays 0
        CHKCC 3,23
        CHKR  R4,0,24
        LHI   R4,0
        SLA   R4,33
        CHKCC 0,25
* double shifts on R6,R7
        LI    R6,0x12345678
        LI    R7,0x9ABCDEF0
        SLDL  R6,8
        CHKR  R6,0x3456789A,26
        CHKR  R7,0xBCDEF000,27
        SRDL  R6,36
        CHKR  R6,0,28
        CHKR  R7,0x03456789,29
        LI    R6,0x80000000
        LHI   R7,0
        SRDL  R6,63                   ; logical: no sign propagation
        CHKR  R6,0,30
        CHKR  R7,1,31
        SLDL  R6,32
        CHKR  R6,1,32
        CHKR  R7,0,33
        LHI   R5,0x7F                 ; 127 & 63 = 63
        SLDL  R6,0(R5)
        CHKR  R6,0,34
        PASS
