# Images for QEMU's MPS2 virtual boards and the code-size report of firmware/core/.
# Include it from firmware/Makefile, or run it alone from anywhere:
#   make -f firmware/port/mps2/board.mk board-m4     mps2-an386 (Cortex-M4F): app, startup test, runner
#   make -f firmware/port/mps2/board.mk board-m7     mps2-an500 (Cortex-M7): app, startup test, runner
#   make -f firmware/port/mps2/board.mk board-m3     mps2-an385 (Cortex-M3, no DSP, no FPU): the same
#   make -f firmware/port/mps2/board.mk board-m0plus Cortex-M0+: compile firmware/core/ only
#   make -f firmware/port/mps2/board.mk boards       all four
#   make -f firmware/port/mps2/board.mk board-nrf52840  the application linked for a board profile's
#       memory map (firmware/port/boards/PROFILE.ld: nrf52840, rp2040, teensy41, stm32f746, stm32l4r5;
#       board-profiles: all), with its memory (firmware state, arena, stack, model store) printed
#   make -f firmware/port/mps2/board.mk golden-images  fqt-golden.elf (testdata/golden/) for m3, m4, m7
#                                                      and m0plus (on QEMU's microbit, Cortex-M0)
#   make -f firmware/port/mps2/board.mk board-nrf52840-arena MPS2_ARENA_MIN=N   does an arena of N bytes fit?
#       (links firmware/build/nrf52840/arena-check.elf; else ld says by how many bytes RAM overflows)
# Everything lands under firmware/build/. Names start with MPS2_ or board- so an including
# Makefile keeps its own.

# Leave the including Makefile's default goal alone.
MPS2_SAVED_GOAL := $(.DEFAULT_GOAL)

MPS2_DIR := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
MPS2_FW := $(abspath $(MPS2_DIR)/../..)
MPS2_BOARDS := $(MPS2_FW)/port/boards
MPS2_BUILD := $(MPS2_FW)/build

MPS2_CC := arm-none-eabi-gcc
MPS2_SIZE := arm-none-eabi-size
MPS2_NM := arm-none-eabi-nm

# Float semantics identical to Java: no fused multiply-add, no fast-math; signed overflow wraps.
# No strict aliasing: arena buffers are reused as float, int32 and uint8 (as in firmware/Makefile).
MPS2_CFLAGS := -std=c99 -mthumb -O2 -ffp-contract=off -fno-fast-math -fwrapv -fno-strict-aliasing -Wall -Wextra -Werror \
	-ffunction-sections -fdata-sections -g -MMD -MP
MPS2_CPU_m4 := -mcpu=cortex-m4 -mfpu=fpv4-sp-d16 -mfloat-abi=hard
MPS2_CPU_m7 := -mcpu=cortex-m7 -mfpu=fpv5-d16 -mfloat-abi=hard
MPS2_CPU_m3 := -mcpu=cortex-m3 -mfloat-abi=soft
MPS2_CPU_m0plus := -mcpu=cortex-m0plus -mfloat-abi=soft

# Our own startup code (no crt0) and newlib-nano for memcpy and friends. No _sbrk is linked, so
# anything that calls malloc fails the link.
MPS2_LDFLAGS := -nostartfiles --specs=nano.specs -Wl,--gc-sections -Wl,--build-id=sha1 -L$(MPS2_DIR)

# Sources relative to firmware/.
MPS2_PORT_SRCS := port/mps2/startup.c port/mps2/board.c port/mps2/uart.c port/mps2/timing.c
MPS2_CORE_SRCS := $(patsubst $(MPS2_FW)/%,%,$(wildcard $(MPS2_FW)/core/*.c))
# The board application trains with firmware/core/ (app/training.c).
MPS2_APP_SRCS := $(MPS2_PORT_SRCS) $(patsubst $(MPS2_FW)/%,%,$(wildcard $(MPS2_FW)/app/*.c) $(wildcard $(MPS2_FW)/proto/*.c)) $(MPS2_CORE_SRCS)
MPS2_TEST_SRCS := $(MPS2_PORT_SRCS) port/mps2/semihost.c port/mps2/test/startup_test.c
# The host runner's twin (test/runner.c): firmware/core/ training from files read over semihosting.
MPS2_RUNNER_SRCS := $(MPS2_PORT_SRCS) port/mps2/semihost.c port/mps2/test/runner.c $(MPS2_CORE_SRCS)
# The golden vectors' tests (firmware/tests/ without the host's main) over newlib-nano and its
# semihosting library rdimon, which brings stdio on host files. test/golden.c replaces rdimon's
# weak _sbrk (the heap of malloc), which still names the symbol `end`: defined, unused.
MPS2_GOLDEN_SRCS := port/mps2/startup.c port/mps2/semihost.c port/mps2/test/golden.c \
	$(filter-out tests/host_main.c,$(patsubst $(MPS2_FW)/%,%,$(wildcard $(MPS2_FW)/tests/*.c))) $(MPS2_CORE_SRCS)
MPS2_GOLDEN_LDFLAGS := -nostartfiles --specs=nano.specs --specs=rdimon.specs -Wl,--gc-sections -Wl,--defsym=end=__bss_end -L$(MPS2_DIR)

# The golden image of one virtual board and its objects: $(1) QEMU machine (and linker script),
# $(2) CPU key, $(3) core name the images report.
define MPS2_GOLDEN
$(MPS2_BUILD)/$(1)/obj/%.o: $(MPS2_FW)/%.c
	@mkdir -p $$(@D)
	$(MPS2_CC) $(MPS2_CFLAGS) $(MPS2_CPU_$(2)) -DFQT_BOARD_CORE='"$(3)"' -DFQT_BOARD_PROFILE='"$(1)"' -I$(MPS2_DIR) -I$(MPS2_FW)/app -I$(MPS2_FW)/proto -I$(MPS2_FW)/core -I$(MPS2_FW)/tests -c $$< -o $$@

$(MPS2_BUILD)/$(1)/fqt-golden.elf: $(MPS2_GOLDEN_SRCS:%.c=$(MPS2_BUILD)/$(1)/obj/%.o) $(MPS2_DIR)/$(1).ld $(MPS2_DIR)/sections.ld
	$(MPS2_CC) $(MPS2_CPU_$(2)) $(MPS2_GOLDEN_LDFLAGS) -T$(1).ld -Wl,-Map=$$@.map $$(filter %.o,$$^) -lm -o $$@

golden-$(2): $(MPS2_BUILD)/$(1)/fqt-golden.elf
endef

# One MPS2 board: its golden image, the application, the startup test and the runner (arguments as MPS2_GOLDEN).
define MPS2_BOARD
$(call MPS2_GOLDEN,$(1),$(2),$(3))

$(MPS2_BUILD)/$(1)/fqt-app.elf: $(MPS2_APP_SRCS:%.c=$(MPS2_BUILD)/$(1)/obj/%.o) $(MPS2_DIR)/$(1).ld $(MPS2_DIR)/sections.ld
	$(MPS2_CC) $(MPS2_CPU_$(2)) $(MPS2_LDFLAGS) -T$(1).ld -Wl,-Map=$$@.map $$(filter %.o,$$^) -lm -o $$@

$(MPS2_BUILD)/$(1)/startup-test.elf: $(MPS2_TEST_SRCS:%.c=$(MPS2_BUILD)/$(1)/obj/%.o) $(MPS2_DIR)/$(1).ld $(MPS2_DIR)/sections.ld
	$(MPS2_CC) $(MPS2_CPU_$(2)) $(MPS2_LDFLAGS) -T$(1).ld -Wl,-Map=$$@.map $$(filter %.o,$$^) -o $$@

$(MPS2_BUILD)/$(1)/fqt-runner.elf: $(MPS2_RUNNER_SRCS:%.c=$(MPS2_BUILD)/$(1)/obj/%.o) $(MPS2_DIR)/$(1).ld $(MPS2_DIR)/sections.ld
	$(MPS2_CC) $(MPS2_CPU_$(2)) $(MPS2_LDFLAGS) -T$(1).ld -Wl,-Map=$$@.map $$(filter %.o,$$^) -lm -o $$@

board-$(2): $(MPS2_BUILD)/$(1)/fqt-app.elf $(MPS2_BUILD)/$(1)/startup-test.elf $(MPS2_BUILD)/$(1)/fqt-runner.elf board-core-$(2)
	@$(MPS2_NM) -t d $(MPS2_BUILD)/$(1)/fqt-app.elf | awk -v board=$(1) -f $(MPS2_DIR)/memory.awk
endef

# firmware/core/ compiled (not linked) for one CPU, with its code size: $(1) CPU key.
define MPS2_CORE
$(MPS2_BUILD)/core-$(1)/%.o: $(MPS2_FW)/%.c
	@mkdir -p $$(@D)
	$(MPS2_CC) $(MPS2_CFLAGS) $(MPS2_CPU_$(1)) -I$(MPS2_FW)/core -c $$< -o $$@

board-core-$(1): $(MPS2_CORE_SRCS:%.c=$(MPS2_BUILD)/core-$(1)/%.o)
	@echo "firmware/core/ for $(1):"
	@$(if $(MPS2_CORE_SRCS),$(MPS2_SIZE) -t $$^,echo "  no C sources yet")
endef

$(eval $(call MPS2_BOARD,mps2-an386,m4,cortex-m4f))
$(eval $(call MPS2_BOARD,mps2-an500,m7,cortex-m7))
$(eval $(call MPS2_BOARD,mps2-an385,m3,cortex-m3))
# ARMv6-M: the Cortex-M0+ build on QEMU's microbit (a Cortex-M0 with 16 KiB of RAM), golden image only.
$(eval $(call MPS2_GOLDEN,microbit,m0plus,cortex-m0plus))
$(foreach cpu,m4 m7 m3 m0plus,$(eval $(call MPS2_CORE,$(cpu))))

# The application linked for a board profile's memory map: $(1) profile (firmware/port/boards/$(1).ld),
# $(2) CPU key, $(3) core name. The port is the MPS2 one (its UART and SysTick): on nrf52840, whose
# memory starts where the MPS2 machines' does, the image runs on QEMU's mps2-an386; for the other
# profiles the link is the check (RAM and Flash at their real addresses). The memory report reads
# the linker's symbols (fqt.board.FirmwareMemory reads the same ones).
define MPS2_PROFILE
$(MPS2_BUILD)/$(1)/obj/%.o: $(MPS2_FW)/%.c
	@mkdir -p $$(@D)
	$(MPS2_CC) $(MPS2_CFLAGS) $(MPS2_CPU_$(2)) -DFQT_BOARD_CORE='"$(3)"' -DFQT_BOARD_PROFILE='"$(1)"' -I$(MPS2_DIR) -I$(MPS2_FW)/app -I$(MPS2_FW)/proto -I$(MPS2_FW)/core -c $$< -o $$@

$(MPS2_BUILD)/$(1)/fqt-app.elf: $(MPS2_APP_SRCS:%.c=$(MPS2_BUILD)/$(1)/obj/%.o) $(MPS2_BOARDS)/$(1).ld $(MPS2_DIR)/sections.ld
	$(MPS2_CC) $(MPS2_CPU_$(2)) $(MPS2_LDFLAGS) -L$(MPS2_BOARDS) -T$(1).ld -Wl,-Map=$$@.map $$(filter %.o,$$^) -lm -o $$@

# (Not arm-none-eabi-size: it counts the arena, the stack reserve and the model store as bss.)
board-$(1): $(MPS2_BUILD)/$(1)/fqt-app.elf
	@$(MPS2_NM) -t d $$< | awk -v board=$(1) -f $(MPS2_DIR)/memory.awk

# The same with Flash at 0x0, where the MPS2 machines have their code memory (the profile's sizes
# there): what its virtual board runs when its real Flash is elsewhere.
$(MPS2_BUILD)/$(1)/fqt-app-virtual.elf: $(MPS2_APP_SRCS:%.c=$(MPS2_BUILD)/$(1)/obj/%.o) $(MPS2_BOARDS)/$(1).ld $(MPS2_DIR)/sections.ld
	$(MPS2_CC) $(MPS2_CPU_$(2)) $(MPS2_LDFLAGS) -L$(MPS2_BOARDS) -T$(1).ld -Wl,--defsym=__mps2_origins=1 -Wl,-Map=$$@.map $$(filter %.o,$$^) -lm -o $$@

# Does an arena of MPS2_ARENA_MIN bytes fit? Links a throw-away image with at least that arena.
board-$(1)-arena: $(MPS2_APP_SRCS:%.c=$(MPS2_BUILD)/$(1)/obj/%.o)
	$(MPS2_CC) $(MPS2_CPU_$(2)) $(MPS2_LDFLAGS) -L$(MPS2_BOARDS) -T$(1).ld -Wl,--defsym=__arena_min=$(MPS2_ARENA_MIN) $$^ -lm \
		-o $(MPS2_BUILD)/$(1)/arena-check.elf
	@$(MPS2_NM) -t d $(MPS2_BUILD)/$(1)/arena-check.elf | awk -v board=$(1) -f $(MPS2_DIR)/memory.awk
endef

$(eval $(call MPS2_PROFILE,nrf52840,m4,cortex-m4f))
$(eval $(call MPS2_PROFILE,rp2040,m0plus,cortex-m0plus))
$(eval $(call MPS2_PROFILE,teensy41,m7,cortex-m7))
$(eval $(call MPS2_PROFILE,stm32f746,m7,cortex-m7))
$(eval $(call MPS2_PROFILE,stm32l4r5,m4,cortex-m4f))
MPS2_PROFILES := nrf52840 rp2040 teensy41 stm32f746 stm32l4r5
board-profiles: $(MPS2_PROFILES:%=board-%)

board-m0plus: board-core-m0plus

boards: board-m4 board-m7 board-m3 board-m0plus

golden-images: golden-m3 golden-m4 golden-m7 golden-m0plus

.PHONY: board-profiles $(MPS2_PROFILES:%=board-%) $(MPS2_PROFILES:%=board-%-arena) boards board-m4 board-m7 board-m3 board-m0plus board-core-m4 board-core-m7 board-core-m3 board-core-m0plus \
	golden-images golden-m3 golden-m4 golden-m7 golden-m0plus

-include $(shell find $(addprefix $(MPS2_BUILD)/,mps2-an386 mps2-an500 mps2-an385 microbit $(MPS2_PROFILES) core-m4 core-m7 core-m3 core-m0plus) -name '*.d' 2>/dev/null)

.DEFAULT_GOAL := $(MPS2_SAVED_GOAL)
