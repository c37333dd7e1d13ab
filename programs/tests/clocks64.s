* clocks64.s - the clocks are exact signed 64-bit values over the whole range (PoO 7.1-7.5):
* the TOD clock counts exactly across 2^53 and across zero, stops at X'7FFFFFFFFFFFFFFF' (never
* goes backwards), the CPU timer stops at X'8000000000000000', a comparator of
* X'7FFFFFFFFFFFFFFF' ("never") never interrupts even with the TOD clock at its maximum, a
* comparator near 2^63 fires at exactly its time, and setting the comparator back to "never"
* clears its pending condition (one interruption, no storm).
        .include "tinycp.inc"
        .include "testlib.inc"
        TESTINIT
start:  SETNEW LC_EXTERNAL_NEW,exth
        LA    R8,buf
* 1. across 2^53: SCK 2^53-2 at t; STCKs at t+1, t+2, t+3
        SCK   n53
        STCK  0(R8)
        STCK  8(R8)
        STCK  16(R8)
        CHKM  buf,0x001FFFFF,1
        CHKM  buf+4,-1,2
        CHKM  buf+8,0x00200000,3
        CHKM  buf+12,0,4
        CHKM  buf+16,0x00200000,5
        CHKM  buf+20,1,6
* 2. across zero: SCK -2
        SCK   m2
        STCK  0(R8)
        STCK  8(R8)
        STCK  16(R8)
        CHKM  buf,-1,7
        CHKM  buf+4,-1,8
        CHKM  buf+8,0,9
        CHKM  buf+12,0,10
        CHKM  buf+20,1,11
* 3. at the top: SCK 2^63-3; the clock reaches X'7FFF...FFFF' and stays there
        SCK   n63
        STCK  0(R8)
        STCK  8(R8)
        STCK  16(R8)
        STCK  24(R8)
        CHKM  buf,0x7FFFFFFF,12
        CHKM  buf+4,-2,13
        CHKM  buf+12,-1,14
        CHKM  buf+16,0x7FFFFFFF,15
        CHKM  buf+20,-1,16
        CHKM  buf+28,-1,17
        STCK  0(R8)
        CHKCC 0,18                    ; STCK sets CC 0 (PoO 7.1)
* 4. comparator "never" with the TOD clock at its maximum: no interruption, enabled or not
        SCKC  never
        SSM   ext
        LHI   R5,100
l4:     BRCT  R5,l4
        SSM   zero
        CHKM  seen,0,19
        STCKC 0(R8)
        CHKM  buf,0x7FFFFFFF,20
        CHKM  buf+4,-1,21
* 5. a comparator near 2^63 fires at exactly its time: SCK 2^63-16 at t, SCKC 2^63-8 at t+1;
*    pending when TOD = 2^63-7, the handler's STCK (no time passes in between) reads that
        SCK   n63a
        SCKC  n63b
        SSM   ext
        LHI   R5,1000
l5:     BRCT  R5,l5
        SSM   zero
        CHKM  seen,1,22
        CHKM  tod,0x7FFFFFFF,23
        CHKM  tod+4,-7,24
        CHKM  code,EXT_CLOCK_COMPARATOR,25
* 6. pending comparator reset to "never" by the handler, which returns still enabled: exactly
*    one interruption (an interruption storm check-stops the machine instead)
        SCKC  zero                    ; TOD (2^63-x) > 0: pending at once
        SSM   ext
        LHI   R5,100
l6:     BRCT  R5,l6
        SSM   zero
        CHKM  seen,2,26
* 7. CPU timer extremes (external interruptions disabled): the most negative value stays there,
*    the most positive counts down exactly
        SPT   min
        NOPR  R0
        STPT  0(R8)
        CHKM  buf,0x80000000,27
        CHKM  buf+4,0,28
        SPT   never
        STPT  0(R8)
        CHKM  buf,0x7FFFFFFF,29
        CHKM  buf+4,-2,30
* ... and a timer of X'7FFF...FFFF' never interrupts
        SSM   ext
        LHI   R5,100
l7:     BRCT  R5,l7
        SSM   zero
        CHKM  seen,2,31
        PASS

* The handler: record the TOD clock (first instruction) and the code, reset the comparator to
* "never", return through the old PSW (external interruptions still enabled).
exth:   STCK  tod
        SCKC  never
        L     R15,LC_EXT_CODE
        ST    R15,code
        L     R15,seen
        AHI   R15,1
        ST    R15,seen
        LPSW  LC_EXTERNAL_OLD
        .align 8
n53:    .word 0x001FFFFF,0xFFFFFFFE
m2:     .word -1,-2
n63:    .word 0x7FFFFFFF,0xFFFFFFFD
n63a:   .word 0x7FFFFFFF,0xFFFFFFF0
n63b:   .word 0x7FFFFFFF,0xFFFFFFF8
never:  .word 0x7FFFFFFF,0xFFFFFFFF
min:    .word 0x80000000,0
zero:   .word 0,0
tod:    .word 0,0
code:   .word 0
seen:   .word 0
ext:    .byte PSW_EXT>>24
        .align 8
buf:    .space 32
