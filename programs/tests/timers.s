* timers.s - CPU timer and clock comparator in virtual time (PoO 7): SPT/STPT (the value read
* back is the value set minus exactly the instructions executed since), SCKC/STCKC round trip,
* and a negative CPU timer read while external interruptions are disabled.
        .include "tinycp.inc"
        .include "testlib.inc"
        TESTINIT
start:  LA    R8,buf
        SPT   t1000                   ; at time t: timer = 1000
        STPT  0(R8)                   ; at t+1: 999
        NOPR  R0
        NOPR  R0
        STPT  8(R8)                   ; at t+4: 996
        CHKM  buf+4,999,1
        CHKM  buf+12,996,2
        CHKM  buf,0,3
        LHI   R5,100
l1:     BRCT  R5,l1
        STPT  16(R8)                  ; 100 BRCTs + LHI + 2 CHKMs ... measured relative to the last STPT
        L     R1,buf+12
        S     R1,buf+20
        CHKR  R1,1+3*3+1+100,4        ; 3 CHKMs of 3 words, LHI, 100 BRCTs, then STPT: differences of time
* a large value, high word included
        SPT   big
        STPT  24(R8)
        CHKM  buf+24,0x00001234,5
        CHKM  buf+28,0x56789ABB,6     ; one unit later
* negative timer (external interruptions disabled: nothing happens)
        SPT   t2
        NOPR  R0
        NOPR  R0
        NOPR  R0
        STPT  32(R8)                  ; 2 - 4
        CHKM  buf+32,-1,7
        CHKM  buf+36,-2,8
* clock comparator round trip
        SCKC  big
        STCKC 40(R8)
        CHKM  buf+40,0x00001234,9
        CHKM  buf+44,0x56789ABC,10
        PASS
        .align 8
t1000:  .word 0,1000
t2:     .word 0,2
big:    .word 0x00001234,0x56789ABC
buf:    .space 64
