package backfill

import (
	"context"
	"github.com/serverless-thumbnails/thumbnails/function/contract"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/serverless-thumbnails/thumbnails/function/handler"
)

// invokeTimeout bounds one invoke, the SDK's retries included. An invoke is
// seen through even when the run is interrupted, so this is also how long an
// interruption may wait for one.
const invokeTimeout = time.Minute

// result is how one key ended. An interrupted key is not handled: it stays
// out of the counts and the checkpoint, so a resumed run handles it.
type result struct {
	outcome     outcome
	reason      string
	interrupted bool
}

func failed(reason string) result { return result{outcome: outcomeFailed, reason: reason} }

// handle does the step of one item: reads the thumbnail's metadata for a
// check, then hands the event to the function, within the rate.
func (r *Runner) handle(ctx context.Context, it Item) result {
	if ctx.Err() != nil {
		return result{interrupted: true}
	}
	if it.Step == StepCheck {
		var res result
		if it, res = r.check(ctx, it); it.Step == StepCheck {
			return res
		}
	}
	var payload []byte
	var err error
	var done outcome
	switch it.Step {
	case StepCreate:
		done = outcomeCreated
		payload, err = r.events.created(*it.Original)
	case StepRemove:
		done = outcomeRemoved
		payload, err = r.events.deleted(it.Key)
	default:
		return result{outcome: outcomeSkipped, reason: it.Reason}
	}
	if err != nil {
		return failed(err.Error())
	}
	if r.cfg.DryRun {
		return result{outcome: done, reason: it.Reason}
	}
	if err := r.limiter.Wait(ctx); err != nil {
		if ctx.Err() != nil {
			return result{interrupted: true}
		}
		return failed("rate limiter: " + err.Error())
	}
	// Once started, an invoke is seen through even if the run is interrupted:
	// Lambda may already have queued the event, and the checkpoint must say so.
	ictx, cancel := context.WithTimeout(context.WithoutCancel(ctx), invokeTimeout)
	defer cancel()
	if err := invokeAsync(ictx, r.lambda, r.cfg.Function, payload); err != nil {
		return failed("invoke: " + reasonOf(err))
	}
	return result{outcome: done, reason: it.Reason}
}

// check reads the thumbnail's metadata and turns a StepCheck item into
// StepCreate when the thumbnail is out of date or gone. An item left at
// StepCheck is finished, with the result returned.
func (r *Runner) check(ctx context.Context, it Item) (Item, result) {
	head, err := r.s3.HeadObject(ctx, &s3.HeadObjectInput{
		Bucket: aws.String(r.cfg.Bucket),
		Key:    aws.String(r.cfg.Prefix + it.Key),
	})
	switch {
	case ctx.Err() != nil:
		return it, result{interrupted: true}
	case handler.IsNotFound(err):
		it.Step, it.Reason = StepCreate, ReasonMissing // deleted since it was listed
	case err != nil:
		return it, failed("read the thumbnail's metadata: " + reasonOf(err))
	case contract.UpToDate(head.Metadata, it.Original.ETag, r.spec):
		return it, result{outcome: outcomeUpToDate, reason: ReasonUpToDate}
	default:
		it.Step, it.Reason = StepCreate, ReasonStale
	}
	return it, result{}
}
