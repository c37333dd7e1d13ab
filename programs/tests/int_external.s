* int_external.s - external interruptions (PoO 5.4, 7.3) in virtual time, to the instruction:
* the CPU timer (code X'1005') becomes pending when it goes negative, the clock comparator
* (X'1004') when the TOD clock passes it; each is enabled by PSW bit 7 AND its CR0 subclass mask;
* with both pending the comparator comes first. The handler records code, old PSW and R5.
        .include "tinycp.inc"
        .include "testlib.inc"
        TESTINIT
N = 1000
start:  SETNEW LC_EXTERNAL_NEW,exth
* 1. CPU timer: SPT 50 at time t; 50 instructions later (SSM + 49 BRCTs) the timer is negative
        LA    R1,n1
        ST    R1,next
        LHI   R5,N
        SPT   t50
        SSM   ext                     ; enable external interruptions (bit 7)
l1:     BRCT  R5,l1
        FAIL  1
n1:     CHKM  seen,1,2
        CHKM  codes,EXT_CPU_TIMER,3
        CHKPSW oldpsw,PSW_EXT,l1,4    ; interrupted before the 50th BRCT
        CHKM  r5s,N-49,6
        CHKM  timer,-1,7              ; the handler's STPT, first instruction: 1 unit past zero
        CHKM  timer+4,-1,8
* 2. CR0 subclass mask off: a negative timer does not interrupt ...
        LA    R1,n2
        ST    R1,next
        L     R1,cr0off
        ST    R1,cr0
        LCTL  R0,R0,cr0
        SPT   t50
        SSM   ext
        LHI   R5,200
l2:     BRCT  R5,l2                   ; 200 instructions: the timer went negative long ago
        STPT  timer
        CHKM  seen,1,9
        L     R1,timer
        LTR   R1,R1
        JNM   f10
* ... until the mask is set: then it interrupts right after the LCTL
        LHI   R1,CR0_RESET
        ST    R1,cr0
i2:     LCTL  R0,R0,cr0
        FAIL  11
n2:     CHKM  seen,2,12
        CHKPSW oldpsw,PSW_EXT|0x1000,i2+4,13   ; CC 1 from the LTR
* 3. clock comparator: SCK 0 at t, SCKC 20 at t+1; pending when TOD > 20, i.e. at t+21
        LA    R1,n3
        ST    R1,next
        LHI   R5,N
        SCK   zero
        SCKC  t20
        SSM   ext
l3:     BRCT  R5,l3
        FAIL  15
n3:     CHKM  seen,3,16
        CHKM  codes+8,EXT_CLOCK_COMPARATOR,17
        CHKPSW oldpsw,PSW_EXT,l3,18
        CHKM  r5s,N-18,20
* 4. both pending: the comparator first, then (the handler returns, still enabled) the timer
        LHI   R1,0
        ST    R1,next                 ; 0: return through the old PSW
        SPT   zero
        SCKC  zero                    ; TOD > 0: pending
        SSM   ext
i4:     LA    R1,n4
        ST    R1,next
        SSM   zero                    ; never reached with a pending interruption
n4:     CHKM  seen,5,21
        CHKM  codes+12,EXT_CLOCK_COMPARATOR,22
        CHKM  codes+16,EXT_CPU_TIMER,23
        CHKPSW oldpsw,PSW_EXT,i4,24
        PASS
f10:    FAIL  10

* The handler: record, quiet the source (timer or comparator far in the future), go on.
exth:   STPT  timer
        L     R15,seen
        SLL   R15,2
        ST    R14,save14
        L     R14,LC_EXT_CODE
        ST    R14,codes(R15)
        L     R14,save14
        ST    R5,r5s
        L     R15,seen
        AHI   R15,1
        ST    R15,seen
        L     R15,LC_EXTERNAL_OLD
        ST    R15,oldpsw
        L     R15,LC_EXTERNAL_OLD+4
        ST    R15,oldpsw+4
        L     R15,LC_EXT_CODE
        CHI   R15,EXT_CPU_TIMER
        JNE   ex1
        SPT   far
        J     ex2
ex1:    SCKC  far
ex2:    L     R15,next
        LTR   R15,R15
        JZ    ex3
        BR    R15                     ; continue disabled (the new PSW's mask)
ex3:    LPSW  LC_EXTERNAL_OLD
        .align 8
t50:    .word 0,50
t20:    .word 0,20
zero:   .word 0,0
far:    .word 0x7FFFFF,0              ; far in the future, within 2**53
timer:  .word 0,0
oldpsw: .word 0,0
codes:  .space 32
seen:   .word 0
next:   .word 0
r5s:    .word 0
save14: .word 0
cr0:    .word 0
cr0off: .word CR0_RESET & ~CR0_CPT_MASK
ext:    .byte PSW_EXT>>24
