* branches.s - branching (PoO 4.6): BC/BCR masks against every condition code, BCT/BCTR/BRCT
* counting, BAL/BALR/BRAS linkage (the link is the 24-bit address of the next instruction),
* BALR/BCR/BCTR with R2 = 0 (no branch), BRC, LARL and the extended mnemonics.
        .include "tinycp.inc"
        .include "testlib.inc"
        TESTINIT
* For each CC 0..3 (set with SPM), BC with mask 8>>cc must branch and its complement must not.
start:  LHI   R9,0                    ; taken-branch counter
        L     R1,cc0
        SPM   R1
        BC    8,b0
        FAIL  1
b0:     BC    7,bad
        L     R1,cc1
        SPM   R1
        BC    4,b1
        FAIL  2
b1:     BC    11,bad
        L     R1,cc2
        SPM   R1
        BC    2,b2
        FAIL  3
b2:     BC    13,bad
        L     R1,cc3
        SPM   R1
        BC    1,b3
        FAIL  4
b3:     BC    14,bad
        BC    0,bad                   ; mask 0: never
        NOP   bad
        JNOP  bad
* BCR: to a register; R2 = 0 never branches
        LARL  R2,b4
        BCR   15,R2
        FAIL  5
b4:     BCR   15,R0                   ; no branch
        NOPR  R2
* extended mnemonics on compares
        LHI   R3,5
        CHI   R3,5
        JNE   bad
        JE    b5
        FAIL  6
b5:     CHI   R3,6
        BNL   bad
        BL    b6
        FAIL  7
b6:     CHI   R3,4
        JNH   bad
        JH    b7
        FAIL  8
b7:     LTR   R3,R3
        JNP   bad
        JZ    bad
        JM    bad
        JNZ   b8
        FAIL  9
b8:     LARL  R4,b9
        BER   R4                      ; CC 2: not taken
        BHR   R4
        FAIL  10
* counting loops: BCT (RX), BCTR, BRCT; the counter reaches 0 and falls through
b9:     LHI   R5,4
        LHI   R6,0
l1:     AHI   R6,1
        BCT   R5,l1
        CHKR  R6,4,11
        CHKR  R5,0,12
        LHI   R5,3
        LARL  R7,l2
l2:     AHI   R6,1
        BCTR  R5,R7
        CHKR  R6,7,13
        LHI   R5,10
l3:     AHI   R6,1
        BRCT  R5,l3
        CHKR  R6,17,14
        LHI   R5,0                    ; 0 - 1 = -1, not zero: branches (a "loop" of 2**32)
        BRCT  R5,b10
        FAIL  15
b10:    CHKR  R5,-1,16
        LHI   R5,5
        BCTR  R5,R0                   ; R2 = 0: count only, no branch
        CHKR  R5,4,17
* linkage
        BAL   R10,sub1
ret1:   CHKR  R10,ret1,18
        CHKR  R9,1,19
        LARL  R11,sub1
        BALR  R10,R11
ret2:   CHKR  R10,ret2,20
        CHKR  R9,2,21
        BRAS  R10,sub1
ret3:   CHKR  R10,ret3,22
        CHKR  R9,3,23
        BALR  R12,R0                  ; link only: R12 = address of the next instruction
here:   CHKR  R12,here,24
        LA    R13,sub2
        BAL   R12,0(R13)
ret4:   CHKR  R12,ret4,25
        CHKR  R9,13,26
        LARL  R1,far                  ; a label past X'8000' still links correctly
        BALR  R12,R1
ret5:   CHKR  R12,ret5,27
        CHKR  R9,14,28
* BAL's link is 24 bits wide: the high byte of the link register is cleared
        LHI   R10,-1
        BRAS  R10,sub1
ret6:   CHKR  R10,ret6,29
        PASS
bad:    FAIL  99

sub1:   AHI   R9,1
        BR    R10
sub2:   AHI   R9,10
        BR    R12
cc0:    .word 0x00000000
cc1:    .word 0x10000000
cc2:    .word 0x20000000
cc3:    .word 0x30000000
        .ltorg
        .org  0x9000
far:    AHI   R9,1
        BR    R12
