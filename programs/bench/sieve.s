* sieve.s - benchmark workload: the primes below 8192 by Eratosthenes' sieve (a byte per
* number), repeated `reps` times. Self-checking: each pass must count 1028 primes (EXIT 4
* otherwise); the count is left in `result`. bench/js/sieve.ts is the same computation in
* plain JavaScript.
        .include "tinycp.inc"
        .org  0
        .psw  0, start
        .org  0x200
N = 8192
start:  L     R2,reps
        LARL  R6,flags              ; R6 -> flags[0]
        LR    R13,R6
        AL    R13,=N                ; R13 -> flags[N]
        LHI   R12,0                 ; stored to cross a number out
        LHI   R9,1
rep:    LR    R7,R6                 ; flags[0..N-1] = 1
        L     R8,=N
fill:   STC   R9,0(R7)
        LA    R7,1(R7)
        BRCT  R8,fill
        LHI   R3,2                  ; R3 = i
        LHI   R10,0                 ; R10 = primes found
outer:  LR    R4,R6
        AR    R4,R3
        LLC   R5,0(R4)
        LTR   R5,R5
        JZ    next                  ; crossed out: not prime
        AHI   R10,1
        LR    R8,R3
        MSR   R8,R3                 ; i*i
        C     R8,=N
        JNL   next
        AR    R8,R6                 ; R8 -> flags[i*i]
mark:   STC   R12,0(R8)             ; cross out i*i, i*i+i, ...
        AR    R8,R3
        CR    R8,R13
        JL    mark
next:   AHI   R3,1
        C     R3,=N
        JL    outer
        C     R10,expect
        JNE   bad
        BRCT  R2,rep
        ST    R10,result
        EXIT
bad:    ST    R10,result
        EXIT  4
        .ltorg
        .align 4
reps:   .word 20
expect: .word 1028
result: .word 0
flags:  .space N
