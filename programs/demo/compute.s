* compute.s - a compute-bound guest for the time-sharing demo: the sieve of Eratosthenes over
* LIMIT numbers, PASSES times (no I/O and no CP entries while it computes). After each pass it
* types the count through DIAGNOSE X'10'; then it ends with a disabled wait, code 0.
        .include "tinycp.inc"
        .include "demo.inc"

LIMIT  = 65536                      ; numbers sieved (one flag byte each)
FLAGS  = 0x10000                    ; where the flags live (needs 128K of storage)
PASSES = 8

        .org  0
        .psw  0, start
        .org  LC_PROGRAM_NEW
        .psw  PSW_WAIT, 0xBAC       ; a program check ends the run with code X'BAC' (a wait code is a multiple of 4)

        .org  0x200
start:  LI    R9,LIMIT
        LI    R8,FLAGS
        LHI   R13,0                 ; passes done
pass:   LR    R2,R8                 ; clear the flags, a word at a time
        LI    R3,LIMIT/4
        LHI   R0,0
clear:  ST    R0,0(R2)
        AHI   R2,4
        BRCT  R3,clear
        LHI   R10,0                 ; primes found
        LHI   R11,2                 ; i
outer:  LR    R2,R8
        AR    R2,R11
        CLI   0(R2),0
        JNE   nexti                 ; i is marked: not a prime
        AHI   R10,1
        CHI   R11,256
        JH    nexti                 ; i*i >= LIMIT: nothing left to mark
        LR    R12,R11
        MSR   R12,R11               ; j = i*i
mark:   LR    R2,R8
        AR    R2,R12
        MVI   0(R2),1
        AR    R12,R11               ; j += i
        CR    R12,R9
        JL    mark
nexti:  AHI   R11,1
        CR    R11,R9
        JL    outer
        AHI   R13,1
        BRAS  R14,report
        CHI   R13,PASSES
        JL    pass
        EXIT

* report: "PASS nnnnnnnnn: nnnnnnnnn PRIMES BELOW 65536"
report: LR    R12,R14
        LR    R7,R13
        LA    R8,msgn
        BRAS  R14,decimal
        LR    R7,R10
        LA    R8,msgc
        BRAS  R14,decimal
        SAY   msg,msglen
        LI    R8,FLAGS              ; DECIMAL clobbered R8 and R9
        LI    R9,LIMIT
        BR    R12

        DECIMALSUB
        .ltorg
        .align 4
msg:    .ascii "PASS "
msgn:   .ascii "         : "
msgc:   .ascii "          PRIMES BELOW 65536"
msglen = * - msg
