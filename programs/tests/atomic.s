* atomic.s - interlocked update (PoO 4.8): TEST AND SET (CC = the byte's leftmost bit before; the
* byte becomes all ones) and COMPARE AND SWAP (CC 0 and the word replaced when equal; CC 1 and R1
* loaded when not), used as a lock.
        .include "tinycp.inc"
        .include "testlib.inc"
        TESTINIT
start:  LA    R8,lock
        TS    0(R8)                   ; X'00' -> X'FF', CC 0: lock acquired
        CHKCC 0,1
        CHKM  lock,0xFF7F8000,2
        TS    0(R8)                   ; already set: CC 1
        CHKCC 1,3
        CHKM  lock,0xFF7F8000,4
        TS    1(R8)                   ; X'7F': leftmost bit 0, CC 0
        CHKCC 0,5
        TS    2(R8)                   ; X'80': CC 1
        CHKCC 1,6
        CHKM  lock,0xFFFFFF00,7
* compare and swap
        LA    R9,word
        LHI   R2,5
        LHI   R3,6
        CS    R2,R3,0(R9)             ; word = 5: swapped
        CHKCC 0,8
        CHKM  word,6,9
        CHKR  R2,5,10
        CS    R2,R3,0(R9)             ; word = 6, R2 = 5: R2 loaded
        CHKCC 1,11
        CHKR  R2,6,12
        CHKM  word,6,13
* a counter incremented with a CS loop (the classic lock-free update)
        LHI   R5,10
again:  L     R2,0(R9)
retry:  LR    R3,R2
        AHI   R3,1
        CS    R2,R3,0(R9)
        JNZ   retry
        BRCT  R5,again
        CHKM  word,16,14
        PASS
        .align 8
lock:   .word 0x007F8000
word:   .word 5
