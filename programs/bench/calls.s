* calls.s - benchmark workload: recursive calls with BAL/BR and a stack in storage: the naive
* Fibonacci function fib(20) (21,891 calls), repeated `reps` times. Self-checking: fib(20) must
* be 6765 (EXIT 4 otherwise); it is left in `result`. bench/js/calls.ts is the same computation
* in plain JavaScript.
        .include "tinycp.inc"
        .org  0
        .psw  0, start
        .org  0x200
start:  L     R2,reps
rep:    LARL  R13,stack_top         ; R13: stack pointer (grows down)
        LHI   R1,20
        BAL   R14,fib
        C     R3,expect
        JNE   bad
        BRCT  R2,rep
        ST    R3,result
        EXIT
bad:    ST    R3,result
        EXIT  4
* fib: R3 = fib(R1), for R1 >= 0. Uses R4; R1 and R13 are kept. Returns with BR R14.
fib:    CHI   R1,2
        JL    leaf                  ; fib(0) = 0, fib(1) = 1
        AHI   R13,-12               ; frame: return address, n, fib(n-1)
        ST    R14,0(R13)
        ST    R1,4(R13)
        AHI   R1,-1
        BAL   R14,fib               ; fib(n-1)
        ST    R3,8(R13)
        L     R1,4(R13)
        AHI   R1,-2
        BAL   R14,fib               ; fib(n-2)
        A     R3,8(R13)
        L     R1,4(R13)
        L     R14,0(R13)
        AHI   R13,12
        BR    R14
leaf:   LR    R3,R1
        BR    R14
        .ltorg
        .align 4
reps:   .word 20
expect: .word 6765
result: .word 0
        .space 1024
stack_top:
