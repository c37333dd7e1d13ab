* arith.s - signed and logical arithmetic and their condition codes (PoO 4.5, 3.4): AR, SR, A, S,
* AH, SH, AHI (CC 0/1/2, and 3 on overflow with the program mask off: no interruption), ALR,
* SLR, AL, SL (carry/borrow CCs), CR, C, CH, CHI, CLR, CL, LPR, LNR, LCR, LTR, MH, MHI, MS, MSR.
        .include "tinycp.inc"
        .include "testlib.inc"
        TESTINIT
start:  LHI   R1,5
        LHI   R2,-7
        AR    R1,R2
        CHKCC 1,1
        CHKR  R1,-2,2
        LHI   R2,2
        AR    R1,R2
        CHKCC 0,3
        AR    R1,R2
        CHKCC 2,4
        L     R3,maxpos
        LHI   R4,1
        AR    R3,R4                   ; overflow, program mask 0: CC 3, no interruption
        CHKCC 3,5
        CHKR  R3,0x80000000,6
        SR    R3,R4                   ; X'80000000' - 1 overflows too
        CHKCC 3,7
        CHKR  R3,0x7FFFFFFF,8
        SR    R3,R3
        CHKCC 0,9
        LHI   R5,10
        A     R5,m20
        CHKCC 1,10
        CHKR  R5,-10,11
        S     R5,m20
        CHKCC 2,12
        CHKR  R5,10,13
        AH    R5,h
        CHKCC 1,14
        CHKR  R5,-24566,15            ; 10 + X'A000' sign-extended (-24576)
        AHI   R5,-32768
        CHKCC 1,16
        L     R6,maxneg
        AHI   R6,-1
        CHKCC 3,17
        SH    R6,h                    ; X'7FFFFFFF' - (-24576) overflows
        CHKCC 3,18
* logical add/subtract: CC = (carry ? 2 : 0) + (nonzero ? 1 : 0) for add; borrow => 1, else 2/3 for subtract
        LHI   R1,-1
        LHI   R2,1
        ALR   R1,R2                   ; zero, carry
        CHKCC 2,19
        ALR   R1,R2                   ; 1, no carry
        CHKCC 1,20
        LHI   R1,-1
        ALR   R1,R1                   ; X'FFFFFFFE', carry
        CHKCC 3,21
        LHI   R1,0
        ALR   R1,R1
        CHKCC 0,22
        LHI   R1,1
        SLR   R1,R2                   ; 0, no borrow
        CHKCC 2,23
        SLR   R1,R2                   ; -1, borrow
        CHKCC 1,24
        SLR   R1,R2                   ; X'FFFFFFFE', no borrow
        CHKCC 3,25
        LHI   R1,3
        AL    R1,m20
        CHKCC 1,26
        SL    R1,m20
        CHKCC 3,27                    ; X'FFFFFFEF' - X'FFFFFFEC': nonzero, no borrow
        CHKR  R1,3,28
* compares
        LHI   R1,-1
        LHI   R2,1
        CR    R1,R2
        CHKCC 1,29
        CLR   R1,R2
        CHKCC 2,30
        CR    R2,R2
        CHKCC 0,31
        C     R1,m20
        CHKCC 2,32
        CL    R2,m20
        CHKCC 1,33
        CH    R1,h
        CHKCC 2,34
        CHI   R1,-1
        CHKCC 0,35
        CHI   R1,0
        CHKCC 1,36
* LPR, LNR, LCR, LTR
        LHI   R1,-9
        LPR   R2,R1
        CHKCC 2,37
        CHKR  R2,9,38
        LNR   R3,R2
        CHKCC 1,39
        CHKR  R3,-9,40
        LNR   R3,R1
        CHKR  R3,-9,41
        LCR   R4,R3
        CHKCC 2,42
        CHKR  R4,9,43
        LHI   R1,0
        LCR   R4,R1
        CHKCC 0,44
        LNR   R4,R1
        CHKCC 0,45
        L     R1,maxneg
        LPR   R2,R1                   ; |-2**31| overflows: CC 3, result X'80000000'
        CHKCC 3,46
        CHKR  R2,0x80000000,47
        LCR   R2,R1
        CHKCC 3,48
        LNR   R2,R1
        CHKCC 1,49
        LTR   R2,R1
        CHKCC 1,50
        LHI   R1,0
        LTR   R2,R1
        CHKCC 0,51
* multiplies (low 32 bits, CC unchanged)
        LHI   R1,-3
        MHI   R1,7
        CHKR  R1,-21,52
        MH    R1,h                    ; -21 * -24576
        CHKR  R1,516096,53
        L     R2,big
        MSR   R2,R2                   ; X'10001' squared = X'1_0002_0001': low word X'00020001'
        CHKR  R2,0x00020001,54
        LHI   R3,-2
        MS    R3,m20
        CHKR  R3,40,55
        PASS
maxpos: .word 0x7FFFFFFF
maxneg: .word 0x80000000
m20:    .word -20
big:    .word 0x10001
h:      .half -24576
        .half 0
