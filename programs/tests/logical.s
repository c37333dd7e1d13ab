* logical.s - bitwise instructions and their condition codes (PoO 4.6): NR, OR, XR, N, O, X (CC 0
* zero, 1 not zero), NI, OI, XI, MVI on a byte in storage, TM (CC 0 / 1 / 3), CLI, NIL, XIL (CC
* from the low half only), OIL (no CC change).
        .include "tinycp.inc"
        .include "testlib.inc"
        TESTINIT
start:  LI    R1,0xF0F0F0F0
        LI    R2,0x0FF00FF0
        LR    R3,R1
        NR    R3,R2
        CHKCC 1,1
        CHKR  R3,0x00F000F0,2
        LR    R3,R1
        OR    R3,R2
        CHKR  R3,0xFFF0FFF0,3
        LR    R3,R1
        XR    R3,R2
        CHKCC 1,4
        CHKR  R3,0xFF00FF00,5
        XR    R3,R3
        CHKCC 0,6
        LR    R3,R1
        N     R3,mask
        CHKCC 0,7                     ; F0F0F0F0 & 0F0F0F0F
        LR    R3,R1
        O     R3,mask
        CHKCC 1,8
        CHKR  R3,-1,9
        X     R3,mask
        CHKR  R3,0xF0F0F0F0,10
* storage bytes
        MVI   byte,0x3C
        NI    byte,0xC3
        CHKCC 0,11
        CHKM  byte,0x00112233,12      ; only the first byte changed: X'00'
        OI    byte+1,0x80
        CHKCC 1,13
        CHKM  byte,0x00912233,14
        XI    byte+3,0x33
        CHKCC 0,15
        CHKM  byte,0x00912200,16
        TM    byte+1,0x81             ; X'91' & X'81' = X'81': all ones
        CHKCC 3,17
        TM    byte+1,0x03             ; X'01': mixed
        CHKCC 1,18
        TM    byte+1,0x60             ; none
        CHKCC 0,19
        TM    byte+1,0                ; mask zero: CC 0
        CHKCC 0,20
        CLI   byte+2,0x22
        CHKCC 0,21
        CLI   byte+2,0xFF             ; unsigned compare
        CHKCC 1,22
        CLI   byte+1,0x10
        CHKCC 2,23
* immediates on the low half
        LI    R4,0x1234FFFF
        NIL   R4,0x00F0
        CHKCC 1,24
        CHKR  R4,0x123400F0,25
        NIL   R4,0x0F00
        CHKCC 0,26                    ; low half zero, high half kept
        CHKR  R4,0x12340000,27
        XIL   R4,0xFFFF
        CHKCC 1,28
        CHKR  R4,0x1234FFFF,29
        XIL   R4,0xFFFF
        CHKCC 0,30
        LHI   R5,1
        LTR   R5,R5                   ; CC 2
        OIL   R4,0x8000
        CHKCC 2,31                    ; OIL leaves the CC alone
        CHKR  R4,0x12348000,32
        PASS
mask:   .word 0x0F0F0F0F
byte:   .word 0xFF112233
