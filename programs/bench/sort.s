* sort.s - benchmark workload: insertion sort of 512 pseudo-random words (a linear congruential
* generator), repeated `reps` times. Self-checking: the array must come out in order and with
* the expected checksum h = h*31 + a[i] (EXIT 4 otherwise); the checksum is left in `result`.
* bench/js/sort.ts is the same computation in plain JavaScript.
        .include "tinycp.inc"
        .org  0
        .psw  0, start
        .org  0x200
N = 512
start:  L     R2,reps
        LARL  R6,array              ; R6 -> a[0]
        LHI   R11,N
rep:    L     R5,=12345             ; x = 12345
        LR    R4,R6
        LHI   R8,N
gen:    MS    R5,=1103515245        ; x = x * 1103515245 + 12345
        A     R5,=12345
        LR    R7,R5
        SRA   R7,8
        ST    R7,0(R4)              ; a[i] = x >> 8
        LA    R4,4(R4)
        BRCT  R8,gen
        LHI   R3,1                  ; R3 = i
isort:  LR    R4,R3
        SLL   R4,2
        AR    R4,R6                 ; R4 -> a[j], j = i
        L     R5,0(R4)              ; key
ins:    CR    R4,R6                 ; j == 0: place the key
        JE    place
        L     R7,-4(R4)
        CR    R7,R5
        JNH   place                 ; a[j-1] <= key: place it here
        ST    R7,0(R4)              ; a[j] = a[j-1]
        AHI   R4,-4
        J     ins
place:  ST    R5,0(R4)
        AHI   R3,1
        CR    R3,R11
        JL    isort
        LHI   R10,0                 ; checksum, and check the order
        LHI   R9,31
        LR    R4,R6
        LHI   R8,N
        L     R7,0(R4)
sum:    L     R5,0(R4)
        CR    R7,R5
        JH    bad                   ; a[i-1] > a[i]: not sorted
        LR    R7,R5
        MSR   R10,R9
        AR    R10,R5
        LA    R4,4(R4)
        BRCT  R8,sum
        C     R10,expect
        JNE   bad
        BRCT  R2,rep
        ST    R10,result
        EXIT
bad:    ST    R10,result
        EXIT  4
        .ltorg
        .align 4
reps:   .word 4
expect: .word 241045494
result: .word 0
array:  .space 4*N
