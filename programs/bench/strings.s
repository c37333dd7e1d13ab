* strings.s - benchmark workload: string length, copy and compare, a byte at a time, over a
* 1,000-byte NUL-terminated string, repeated `reps` times. Each pass: strlen(src); copy src to
* dst with its terminator; compare them (equal: 1000); change dst[777]; compare again (first
* difference: 777). Self-checking: len + same + diff must be 2777 (EXIT 4 otherwise); the sum is
* left in `result`. bench/js/strings.ts is the same computation in plain JavaScript.
        .include "tinycp.inc"
        .org  0
        .psw  0, start
        .org  0x200
LEN = 1000
start:  LARL  R6,src                ; src[i] = 'A' + i mod 26
        LR    R4,R6
        LHI   R3,0
        LHI   R8,LEN
init:   LR    R7,R3
        XR    R0,R0
        LR    R1,R3
        LHI   R9,26
        DR    R0,R9                 ; R0 = i mod 26
        AHI   R0,65
        STC   R0,0(R4)
        LA    R4,1(R4)
        AHI   R3,1
        BRCT  R8,init
        LARL  R12,dst
        L     R2,reps
rep:    LR    R4,R6                 ; strlen(src)
slen:   LLC   R7,0(R4)
        LA    R4,1(R4)
        LTR   R7,R7
        JNZ   slen
        SR    R4,R6
        AHI   R4,-1
        LR    R10,R4                ; R10 = len
        LR    R4,R6                 ; copy len+1 bytes
        LR    R5,R12
        LR    R8,R10
        AHI   R8,1
copy:   IC    R7,0(R4)
        STC   R7,0(R5)
        LA    R4,1(R4)
        LA    R5,1(R5)
        BRCT  R8,copy
        BRAS  R14,compare
        LR    R11,R3                ; R11 = same
        MVI   777(R12),63           ; dst[777] = '?'
        BRAS  R14,compare
        AR    R11,R3
        AR    R11,R10
        C     R11,expect
        JNE   bad
        BRCT  R2,rep
        ST    R11,result
        EXIT
bad:    ST    R11,result
        EXIT  4
* compare: R3 = index of the first difference of the R10 bytes at src and dst (R10 if equal).
compare: LR   R4,R6
        LR    R5,R12
        LR    R8,R10
cmpb:   LLC   R7,0(R4)
        LLC   R9,0(R5)
        CR    R7,R9
        JNE   cmpd
        LA    R4,1(R4)
        LA    R5,1(R5)
        BRCT  R8,cmpb
cmpd:   LR    R3,R4
        SR    R3,R6
        BR    R14
        .ltorg
        .align 4
reps:   .word 100
expect: .word 2777
result: .word 0
src:    .space LEN+1
        .align 4
dst:    .space LEN+1
