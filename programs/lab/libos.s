* libos.s - the library OS of the isolation lab (the exokernel answer): one service per VM,
* linked with a tiny library that talks to CP directly, with no kernel in between. The service
* runs in supervisor state with DAT off: the VM is its protection boundary, CP its only
* multiplexer. SYS is a plain call: a console line is one DIAGNOSE X'10' (PoO 11), a file is a
* slot of the VM's own storage, an exit is a disabled wait. The library's pages (X'1000'-X'3FFF')
* and the service pages (X'4000'-X'7FFF') are never written after IPL, so every VM running the
* same image holds identical copies that CP could map once, read-only (as the exokernel's shared
* libraries, or VM/370's shared segments); the lab counts them once (src/lab/footprint.ts).
* The generated top-level source (src/lab/build.ts) sets the service parameters and writes the
* one-entry task table at TASKTAB.
        .include "tinycp.inc"
        .include "lab.inc"

        .org  0
        .psw  0, boot
        .org  LC_EXTERNAL_NEW
        .psw  0, crash              ; no interruption is ever enabled: any that comes is a crash
        .psw  0, crash
        .psw  0, crash              ; a program check: the service is dead, its VM stops
        .psw  0, crash
        .psw  0, crash

        .org  0x1000
boot:   L     R10,=FRAMES           ; R10 -> the private area, R11 = 1 (one service per VM)
        LHI   R11,1
        L     R15,=TASKTAB
        L     R15,0(R15)
        BR    R15                   ; into the service: it ends through F_EXIT

* LIBCALL: SYS. R0 = function; R1-R3 arguments; R15 = result. Return by R14.
libcall:
        CHI   R0,F_PUT
        JE    lput
        CHI   R0,F_FWRITE
        JE    lfile
        CHI   R0,F_FREAD
        JE    lfile
        CHI   R0,F_YIELD
        JE    lok
        CHI   R0,F_EXIT
        JE    lexit
        EXIT  0x104                 ; an unknown function: the service is broken
lput:   CHI   R2,1
        JL    lbad
        CHI   R2,LINE_MAX
        JH    lbad
        DIAG  R1,R2,DIAG_CONSOLE_WRITE ; straight to CP: no kernel copies the line
lok:    XR    R15,R15
        BR    R14
* A file is FILESZ bytes at FILES + n*FILESZ of the VM's own storage.
lfile:  LHI   R15,NFILES
        CLR   R1,R15
        JNL   lbad
        CHI   R3,1
        JL    lbad
        CHI   R3,FILESZ
        JH    lbad
        LR    R15,R1
        MHI   R15,FILESZ
        A     R15,=FILES
        CHI   R0,F_FREAD
        JE    lrd
lwr:    LLC   R0,0(R2)              ; file <- buffer
        STC   R0,0(R15)
        LA    R2,1(R2)
        LA    R15,1(R15)
        BRCT  R3,lwr
        J     lok
lrd:    LLC   R0,0(R15)             ; buffer <- file
        STC   R0,0(R2)
        LA    R2,1(R2)
        LA    R15,1(R15)
        BRCT  R3,lrd
        J     lok
lbad:   EXIT  0x208
lexit:  EXIT  0
crash:  EXIT  0xBAC
        .ltorg

        .org  SVCLO
        .include "services.s"
sys:    J     libcall               ; the library is linked in: a call, not a trap
        .if   * > SVCHI
        .error "the services must fit in the service pages"
        .endif
