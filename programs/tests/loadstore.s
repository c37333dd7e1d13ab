* loadstore.s - loads and stores (PoO 4.4): L, ST, LH (sign extension), LLH, STH, IC, STC, LLC,
* LA (24-bit wrap), LR, LHI, LUH, OIL, LI, LARL, MVI, LM/STM (wrapping after R15). None of them
* changes the condition code: the test sets CC 3 first and checks it survives.
        .include "tinycp.inc"
        .include "testlib.inc"
        TESTINIT
start:  LHI   R1,-1
        AHI   R1,0                    ; CC 1 (negative)
        L     R2,w1
        CHKR  R2,0x89ABCDEF,1
        LHI   R0,-1
        SPM   R0                      ; CC 3, program mask 15 (no instruction here overflows)
        LA    R3,buf
        L     R4,w1
        ST    R4,4(R3)
        L     R5,buf+4
        BRC   1,cc3a                  ; CC still 3 after LA, L, ST
        FAIL  2
cc3a:   CHKR  R5,0x89ABCDEF,3
* halfwords
        LH    R6,w1                   ; X'89AB' sign-extended
        CHKR  R6,0xFFFF89AB,4
        LH    R6,w1+2                 ; X'CDEF'
        CHKR  R6,0xFFFFCDEF,5
        LLH   R6,w1
        CHKR  R6,0x89AB,6
        LH    R6,w2                   ; X'1234' positive
        CHKR  R6,0x1234,7
        LHI   R7,0x5566
        STH   R7,buf+2                ; buf+0 = X'00005566'
        CHKM  buf,0x5566,8
        LUH   R7,0x7788
        STH   R7,buf                  ; low half of R7 is zero
        CHKM  buf,0x5566,9
* bytes
        LHI   R8,-1
        IC    R8,w1+1                 ; low byte replaced, the rest kept
        CHKR  R8,0xFFFFFFAB,10
        LLC   R8,w1+3
        CHKR  R8,0xEF,11
        LHI   R8,0x1C3
        STC   R8,buf+1                ; only X'C3' is stored
        CHKM  buf,0x00C35566,12
        MVI   buf+3,0x7F
        CHKM  buf,0x00C3557F,13
* immediates and LR
        LUH   R9,0xABCD
        OIL   R9,0x8001               ; unsigned low half
        CHKR  R9,0xABCD8001,14
        LI    R10,0x12345678
        CHKR  R10,0x12345678,15
        LI    R10,-5
        CHKR  R10,-5,16
        LR    R11,R9
        CHKR  R11,0xABCD8001,17
        LHI   R11,-32768
        CHKR  R11,0xFFFF8000,18
* LA: 24-bit addresses (PoO 3.2), base 0 means no base
        LUH   R1,0x12FF
        OIL   R1,0xFFF0
        LA    R2,0x20(R1)             ; X'12FFFFF0' + X'20' wraps to X'000010'
        CHKR  R2,0x10,19
        LA    R2,-4(R0)               ; base R0 is "no base": X'FFFFFC'
        CHKR  R2,0xFFFFFC,20
        LARL  R2,w1
        CHKR  R2,w1,21
* LM / STM, wrapping from R15 to R0 (PoO 4.4)
        LA    R13,buf
        LM    R1,R4,quad              ; R1..R4 = 1,2,3,4
        CHKR  R1,1,22
        CHKR  R4,4,23
        LHI   R14,14
        LHI   R15,15
        LHI   R0,16
        STM   R14,R1,16(R13)          ; R14, R15, R0, R1
        CHKM  buf+16,14,24
        CHKM  buf+24,16,25
        CHKM  buf+28,1,26
        LM    R12,R12,quad+8          ; one register
        CHKR  R12,3,27
        PASS
        .align 8
w1:     .word 0x89ABCDEF
w2:     .word 0x12345678
quad:   .word 1,2,3,4
buf:    .space 64
