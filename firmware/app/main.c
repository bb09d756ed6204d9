/* The board application: answers the host's requests, one at a time, forever. */
#include "board.h"
#include "link.h"
#include "training.h"

int main(void)
{
    board_init();
    training_init();
    link_serve();
}
